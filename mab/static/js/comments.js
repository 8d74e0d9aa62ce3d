// Comments: remember a passage selected in a paragraph and put it in that paragraph's quote
// field when its comment form opens; move focus into a form when it opens, and to the field in
// error when a form comes back refused. The page carries one response form and one reply form:
// opening "Record the response" or "Reply in the thread" under a thread moves that form into
// it. A folded thread (past the first screen) opens in place. Everything works without this
// script: the quote can be typed or pasted, the openers hold a link to the thread's own page
// with its form, a folded thread's first words link to the page with that thread whole.
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

  // The form a thread's opener uses: its own (rendered there when it came back refused), else
  // the page's one form of that kind.
  function formFor(details) {
    return details.querySelector("form") ||
      document.querySelector("form[data-shared][data-kind=" + details.getAttribute("data-form") + "]");
  }

  function clearErrors(form) {
    form.querySelectorAll(".error-summary, p.error").forEach(function (e) { e.remove(); });
    form.querySelectorAll(".field--error").forEach(function (e) { e.classList.remove("field--error"); });
    form.querySelectorAll("[aria-invalid]").forEach(function (e) {
      e.removeAttribute("aria-invalid");
      var described = (e.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && !/-error$/.test(id);
      });
      if (described.length) e.setAttribute("aria-describedby", described.join(" "));
      else e.removeAttribute("aria-describedby");
    });
  }

  // Move the page's one form into ``details`` and fill it for that thread.
  function bring(details) {
    var form = formFor(details);
    if (!form || details.contains(form)) return;
    var before = form.closest("details[data-form]");
    if (before) {
      before.open = false;
      var back = before.querySelector(".comment__form-link");
      if (back) back.hidden = false;
    }
    clearErrors(form);
    form.reset();
    form.setAttribute("action", details.getAttribute("data-action"));
    if (details.getAttribute("data-form") === "dispose") {
      var version = Number(details.getAttribute("data-v"));
      form.querySelector("select[name=disposition]").value = details.getAttribute("data-disposition") || "";
      form.querySelector("textarea[name=response]").value = details.getAttribute("data-response") || "";
      var addressed = form.querySelector("select[name=addressed_in]");
      addressed.querySelectorAll("option[data-n]").forEach(function (option) {
        var later = Number(option.getAttribute("data-n")) > version;
        option.hidden = option.disabled = !later;
      });
      addressed.value = details.getAttribute("data-addressed") || "";
    }
    var link = details.querySelector(".comment__form-link");
    if (link) link.hidden = true;
    details.appendChild(form);
  }

  // "toggle" does not bubble: listen while it comes down (threads opened later included).
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.open) return;
    if (!details.matches("details.comment-new, details.comment-reply, details.comment-respond")) return;
    if (details.hasAttribute("data-form")) bring(details);
    var quote = details.querySelector("input[name=quote]");
    if (quote && !quote.value && selected && selected.block === details.getAttribute("data-block")) {
      quote.value = selected.text.slice(0, 1000);
    }
    var invalid = details.querySelector("[aria-invalid=true]");
    var first = invalid || details.querySelector("textarea, select");
    if (first && document.activeElement && details.contains(document.activeElement)) first.focus();
  }, true);

  // A folded thread opens in place: its whole thread, from the page that shows it whole.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-thread]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var folded = document.getElementById("c" + link.getAttribute("data-thread"));
    if (!folded || !window.fetch || !window.DOMParser) return;
    event.preventDefault();
    link.setAttribute("aria-busy", "true");
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (html) {
      var whole = new DOMParser().parseFromString(html, "text/html").getElementById(folded.id);
      if (!whole || whole.classList.contains("comment--folded")) throw new Error("not found");
      whole = document.importNode(whole, true);
      folded.replaceWith(whole);
      var heading = whole.querySelector(".comment__by");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }).catch(function () {
      window.location.href = link.href;
    });
  });

  // An opener opened before this script ran gets its form now.
  document.querySelectorAll("details[data-form][open]").forEach(function (details) {
    if (!details.querySelector("form")) bring(details);
  });

  // A form sent back with an error: take the reader to it (the page opens at its top).
  var refused = document.querySelector("details[open] [aria-invalid=true]") ||
    document.querySelector("details[open] .error-summary ~ * textarea, details[open] .error-summary ~ * select");
  if (refused) refused.focus();
})();
