// The translation editor: save a paragraph as you go (when its box is left after a change, or
// with Ctrl+Enter) by posting its own form, as the Save button does without this script; then
// put the edition's new revision in every form, the paragraph's status in its badge, and say
// what happened in the page's live region. A refused save keeps the text in its box.
(function () {
  "use strict";
  var editor = document.querySelector("[data-editor]");
  if (!editor || !window.fetch || !window.FormData) return;
  var announce = document.getElementById("editor-announce");
  var summary = document.getElementById("edition-summary");
  var saved = {};   // block id -> the text last saved (or loaded)

  function say(message) {
    if (!announce) return;
    announce.textContent = "";
    window.setTimeout(function () { announce.textContent = message; }, 50);
  }

  function setRevision(revision) {
    document.querySelectorAll("input[data-revision]").forEach(function (input) {
      input.value = String(revision);
    });
  }

  function showError(form, message) {
    var box = form.querySelector("textarea");
    var error = form.querySelector("p.error");
    form.querySelector(".field").classList.add("field--error");
    box.setAttribute("aria-invalid", "true");
    box.setAttribute("aria-describedby", error.id);
    error.textContent = message;
    error.hidden = false;
  }

  function clearError(form) {
    var box = form.querySelector("textarea");
    var error = form.querySelector("p.error");
    form.querySelector(".field").classList.remove("field--error");
    box.removeAttribute("aria-invalid");
    box.removeAttribute("aria-describedby");
    error.textContent = "";
    error.hidden = true;
  }

  // One save at a time, in order: each request is built when its turn comes, so it carries the
  // revision the previous save returned (two paragraphs saved in quick succession must not both
  // send the old revision and conflict with each other).
  var queue = Promise.resolve();

  function save(form) {
    if (form.getAttribute("data-busy")) return queue;
    form.setAttribute("data-busy", "1");
    queue = queue.then(function () { return send(form); });
    return queue;
  }

  function send(form) {
    var id = form.getAttribute("data-paragraph");
    var box = form.querySelector("textarea");
    var text = box.value;
    return fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      var data = result.data;
      if (result.ok && data.ok) {
        saved[id] = text;
        clearError(form);
        setRevision(data.revision);
        var badge = document.getElementById("status-" + id);
        if (badge) {
          badge.textContent = data.status_label;
          badge.classList.toggle("badge--warn", data.status !== "current");
        }
        if (summary && data.summary) summary.textContent = data.summary;
        say(data.message);
      } else {
        // Someone else saved: their revision is taken, so that saving again is a choice made
        // after reading the message; the text typed stays in the box.
        if (typeof data.revision === "number") setRevision(data.revision);
        showError(form, data.message);
        say(data.message);
      }
    }).catch(function () {
      var message = editor.getAttribute("data-offline") || "Not saved.";
      showError(form, message);
      say(message);
    }).then(function () {
      form.removeAttribute("data-busy");
    });
  }

  editor.querySelectorAll("form[data-paragraph]").forEach(function (form) {
    var box = form.querySelector("textarea");
    saved[form.getAttribute("data-paragraph")] = box.value;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(form);
    });
    box.addEventListener("blur", function () {
      if (box.value !== saved[form.getAttribute("data-paragraph")]) save(form);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        save(form);
      }
    });
  });
})();
