// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select.js-submit-on-change")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  for (const element of document.querySelectorAll(".js-hide")) {
    element.hidden = true;
  }
});
// What htmx brings later (a support area's criteria, when the workspace's reader reaches it) hides its own.
document.addEventListener("htmx:load", (event) => {
  for (const element of event.detail.elt.querySelectorAll(".js-hide")) {
    element.hidden = true;
  }
});

// Every htmx request carries the CSRF token of the browser's cookie, not the one the page was made with: signing
// in again in another tab (after the session ended) renews it, and a page left open must still save afterwards.
document.addEventListener("htmx:configRequest", (event) => {
  const cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (!cookie) return;
  event.detail.headers["X-CSRFToken"] = cookie[1];
  if (event.detail.parameters.csrfmiddlewaretoken !== undefined) {
    event.detail.parameters.csrfmiddlewaretoken = cookie[1];
  }
});

// The banner of a request not done (the session ended: iomborder.middleware) goes once a request succeeds again.
document.addEventListener("htmx:afterRequest", (event) => {
  const banner = document.getElementById("not-done");
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  if (banner && status >= 200 && status < 300) banner.replaceChildren();
});

// Autosaved forms (an assessment, a line of the legal gap matrix). Each edit is counted; a form is "dirty" until a save that carried its last
// edit has come back. After a refused (stale) save the form stops saving by itself until the adviser chooses
// to keep their text or take the other person's: nothing is overwritten without them seeing it.
const autosaved = (element) =>
  element && element.closest && element.closest("form.assessment-form, form.autosave-form");

function showUnsaved(form) {
  const status = form.querySelector(".save-status");
  const words = form.closest("[data-unsaved]");
  if (status && words && !form.classList.contains("has-conflict")) status.textContent = words.dataset.unsaved;
}

// The evidence picker's search box narrows its list; what is typed there is not part of the assessment, so it
// neither marks the form unsaved nor starts an autosave (stopped here, before the form and htmx hear it).
for (const type of ["input", "change"]) {
  document.addEventListener(
    type,
    (event) => {
      const box = event.target.closest && event.target.closest(".picker-filter");
      if (!box) return;
      event.stopPropagation();
      const words = box.value.trim().toLowerCase();
      for (const label of box.closest(".picker").querySelectorAll("label")) {
        label.hidden = Boolean(words) && !label.textContent.toLowerCase().includes(words);
      }
    },
    true,
  );
}

document.addEventListener("input", (event) => {
  const form = autosaved(event.target);
  if (!form) return;
  form.dataset.edits = String(Number(form.dataset.edits || 0) + 1);
  form.classList.add("is-dirty");
  showUnsaved(form);
});

document.addEventListener("htmx:confirm", (event) => {
  const form = autosaved(event.detail.elt);
  // The form's own autosave waits while a conflict is shown; the conflict's buttons still work.
  if (form && event.detail.elt === form && form.classList.contains("has-conflict")) event.preventDefault();
});

document.addEventListener("htmx:beforeRequest", (event) => {
  const form = autosaved(event.detail.elt);
  if (form) form.dataset.sent = form.dataset.edits || "0";
});

document.addEventListener("htmx:afterSwap", (event) => {
  const form = autosaved(event.detail.elt);
  if (!form) return;
  const status = event.detail.xhr && event.detail.xhr.status;
  if (status === 409) {
    form.classList.add("has-conflict");
  } else if (status === 200) {
    form.classList.remove("has-conflict");
    if ((form.dataset.edits || "0") === form.dataset.sent) {
      form.classList.remove("is-dirty");
    } else {
      showUnsaved(form); // typed while the save was on its way: the next save is queued
    }
  }
});

// A save the server did not answer (down, or the network is): said in the form's status. The form stays unsaved,
// and its next change tries again.
for (const type of ["htmx:responseError", "htmx:sendError"]) {
  document.addEventListener(type, (event) => {
    const form = autosaved(event.detail.elt);
    const words = form && form.closest("[data-not-sent]");
    const status = form && form.querySelector(".save-status");
    if (status && words) status.textContent = words.dataset.notSent;
  });
}

// Leaving the page with a change not yet saved (a criterion, a line of the gap matrix) asks first.
window.addEventListener("beforeunload", (event) => {
  if (document.querySelector("form.assessment-form.is-dirty, form.autosave-form.is-dirty")) event.preventDefault();
});

// Draft pages: words selected in an item's text become the quote of a comment on that item.
document.addEventListener("mouseup", () => {
  const selection = window.getSelection();
  const words = selection ? selection.toString().trim() : "";
  if (!words) return;
  const anchor = selection.anchorNode && selection.anchorNode.parentElement;
  const item = anchor && anchor.closest(".draft-item");
  if (!item || !anchor.closest(".item-text")) return;
  const input = item.querySelector(":scope > .comment-form .quote-input");
  if (!input) return;
  input.value = words;
  input.closest("details").open = true;
});

// The workspace: "n", outside a text field, goes to the next criterion not yet rated (below the one being
// edited, or the top of the page), and puts the focus on its rating.
document.addEventListener("keydown", (event) => {
  if (event.key !== "n" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest && target.closest("input[type=text], input[type=search], textarea, select, [contenteditable]")) return;
  const criteria = [...document.querySelectorAll("article.criterion")];
  const current = target.closest ? target.closest("article.criterion") : null;
  const after = current ? criteria.slice(criteria.indexOf(current) + 1) : criteria;
  const notRated = (article) => {
    const checked = article.querySelector("input[name=rating]:checked");
    return !checked || checked.value === "";
  };
  // An area whose criteria are not fetched yet comes before going round to the top: scrolled to, it is fetched.
  const pending = document.querySelector(".deferred-criteria");
  const next = after.find(notRated) || pending || criteria.find(notRated);
  if (!next) return;
  event.preventDefault();
  next.scrollIntoView({ block: "start" });
  const rating = next.querySelector("input[name=rating]:checked") || next.querySelector("input[name=rating]");
  if (rating) rating.focus({ preventScroll: true });
});

// The validation workshop: keys 1 to 4, outside a text field, choose the position; Ctrl+Enter (or Cmd+Enter)
// anywhere in the card saves it and brings the next recommendation, whose first choice then has the focus.
document.addEventListener("keydown", (event) => {
  const form = event.target.closest ? event.target.closest("form.workshop-form") : null;
  const card = document.getElementById("workshop-card");
  if (!card) return;
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    card.querySelector("form.workshop-form").requestSubmit();
    return;
  }
  if (!/^[1-4]$/.test(event.key) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest && event.target.closest("input[type=text], textarea, select, [contenteditable]")) return;
  const choice = (form || card).querySelectorAll("input[name=stance]")[Number(event.key) - 1];
  if (!choice) return;
  event.preventDefault();
  choice.checked = true;
  choice.focus();
});
document.addEventListener("htmx:beforeSwap", (event) => {
  // htmx would put the focus back in the field of the same id: the new card starts from its choice instead.
  const card = document.getElementById("workshop-card");
  if (card && event.detail.target === card && card.contains(document.activeElement)) document.activeElement.blur();
});
document.addEventListener("htmx:afterSettle", () => {
  const card = document.getElementById("workshop-card");
  if (!card || card.contains(document.activeElement)) return;
  const choice = card.querySelector("input[name=stance]:checked") || card.querySelector("input[name=stance]");
  if (choice) choice.focus();
});
