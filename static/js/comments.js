// Comments: remember a passage selected in a paragraph and put it in that paragraph's quote
// field when its comment form opens; move focus into a form when it opens. Everything works
// without this script (the quote can be typed or pasted).
(function () {
  "use strict";
  var selected = null;

  document.addEventListener("selectionchange", function () {
    var selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.anchorNode) return;
    var node = selection.anchorNode.nodeType === 1 ? selection.anchorNode : selection.anchorNode.parentElement;
    var block = node && node.closest("[data-block-text]");
    if (!block || !block.contains(selection.focusNode)) return;
    selected = { block: block.getAttribute("data-block-text"), text: selection.toString().replace(/\s+/g, " ").trim() };
  });

  document.querySelectorAll("details.comment-new, details.comment-reply, details.comment-respond").forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (!details.open) return;
      var quote = details.querySelector("input[name=quote]");
      if (quote && !quote.value && selected && selected.block === details.getAttribute("data-block")) {
        quote.value = selected.text.slice(0, 1000);
      }
      var invalid = details.querySelector("[aria-invalid=true]");
      var first = invalid || details.querySelector("textarea, select");
      if (first && document.activeElement && details.contains(document.activeElement)) first.focus();
    });
  });
})();
