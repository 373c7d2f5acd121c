// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select.js-submit-on-change")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  for (const element of document.querySelectorAll(".js-hide")) {
    element.hidden = true;
  }
});

// Autosaved forms: say "Unsaved changes" from the first keystroke until the server answers.
document.addEventListener("input", (event) => {
  const form = event.target.closest("form.assessment-form");
  if (!form) return;
  form.classList.add("is-dirty");
  const status = form.querySelector(".save-status");
  if (status && !status.querySelector(".conflict")) {
    status.textContent = form.dataset.unsaved;
  }
});
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt.closest("form.assessment-form");
  if (form && event.detail.successful) form.classList.remove("is-dirty");
});
// Leaving the page with a change not yet saved asks first.
window.addEventListener("beforeunload", (event) => {
  if (document.querySelector("form.assessment-form.is-dirty, form.assessment-form.htmx-request")) {
    event.preventDefault();
  }
});
