// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select.js-submit-on-change")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  for (const element of document.querySelectorAll(".js-hide")) {
    element.hidden = true;
  }
});
