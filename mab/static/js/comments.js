// Comments: remember a passage selected in a paragraph and put it in that paragraph's quote
// field when its comment form opens; move focus into a form when it opens, and to the field in
// error when a form comes back refused. Everything works without this script (the quote can be
// typed or pasted).
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

  // A form sent back with an error: take the reader to it (the page opens at its top).
  var refused = document.querySelector("details[open] [aria-invalid=true]") ||
    document.querySelector("details[open] .error-summary ~ * textarea, details[open] .error-summary ~ * select");
  if (refused) refused.focus();
})();
