/* The course's fixes to the theme's behaviour (sphinx-book-theme 1.3 on pydata-sphinx-theme 0.17). */
"use strict";

/*
 * Navigation. Both themes bind their sidebar handlers to the FIRST `.primary-toggle` and
 * `.secondary-toggle` of the page: the header's buttons, which the book theme hides. The
 * visible ones, in the article's header, only showed a tooltip. Each visible toggle forwards
 * its click to the bound one, which opens the drawer on narrow screens and collapses the
 * sidebar on wide ones.
 */
function forwardSidebarToggles() {
  for (const kind of ["primary", "secondary"]) {
    const [bound, ...others] = document.querySelectorAll(`.${kind}-toggle`);
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopImmediatePropagation();
        button.blur(); // dismisses the tooltip
        bound.click();
      });
    }
  }
}

/*
 * Display equations wider than the column scroll sideways; mark them so that the page shows a
 * cue (see descent.css), and keep the mark right when the window is resized.
 */
function markWideEquations() {
  for (const box of document.querySelectorAll("div.math")) {
    const scroller = box.querySelector("mjx-container") || box;
    box.classList.toggle("descent-scrolls", scroller.scrollWidth > scroller.clientWidth + 1);
  }
}

function watchEquations() {
  const typeset = window.MathJax && MathJax.startup && MathJax.startup.promise;
  (typeset || Promise.resolve()).then(markWideEquations);
  window.addEventListener("resize", markWideEquations);
}

/*
 * Search snippets are cut from each page's HTML before MathJax runs there, so they showed raw
 * TeX. Display equations are left out of the snippet, inline math is written as plain text.
 */
const GREEK = {
  alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", eta: "η",
  theta: "θ", lambda: "λ", mu: "μ", nu: "ν", rho: "ρ", sigma: "σ", tau: "τ", phi: "φ",
  nabla: "∇", partial: "∂", Delta: "Δ", Theta: "Θ", Sigma: "Σ", cdot: "·", times: "×",
  leftarrow: "←", gets: "←", to: "→", rightarrow: "→", approx: "≈", le: "≤", leq: "≤",
  ge: "≥", geq: "≥", ne: "≠", neq: "≠", infty: "∞", odot: "⊙", sqrt: "√", sum: "Σ",
  in: "∈", R: "ℝ", grad: "∇", ldots: "…", dots: "…",
};

function texToText(tex) {
  return tex
    .replace(/^\\[([]|\\[)\]]$/g, "")
    .replace(/\\([A-Za-z]+)/g, (_, name) => GREEK[name] || "")
    .replace(/\\[,;:! ]/g, " ")
    .replace(/[{}]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function plainSearchSummaries() {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll("div.math").forEach((el) => el.remove());
    doc.querySelectorAll("span.math").forEach((el) => {
      el.textContent = texToText(el.textContent);
    });
    return htmlToText(doc.documentElement.outerHTML, anchor);
  };
}

/*
 * Accessibility (axe-core, tests/test_browser.py): every control's accessible name contains
 * its visible text, the animation's slider has a name, and the bibliography's list holds
 * list items (the entries' role, doc-biblioentry, is deprecated).
 */
function nameControls() {
  for (const button of document.querySelectorAll(".search-button-field")) {
    button.removeAttribute("aria-label"); // its name is its text: "Search Ctrl+K"
  }
  for (const icon of document.querySelectorAll(".theme-switch-button .theme-switch")) {
    icon.removeAttribute("title"); // the button is named "Color mode"; the icons are decoration
    icon.removeAttribute("aria-labelledby");
    icon.removeAttribute("role");
    icon.setAttribute("aria-hidden", "true");
    icon.querySelectorAll("title").forEach((title) => title.remove());
  }
  for (const slider of document.querySelectorAll("input.anim-slider:not([aria-label])")) {
    slider.setAttribute("aria-label", "Animation frame");
  }
  for (const entry of document.querySelectorAll(".citation-list > [role='doc-biblioentry']")) {
    entry.setAttribute("role", "listitem");
  }
}

document.addEventListener("DOMContentLoaded", () => {
  nameControls();
  window.addEventListener("load", nameControls); // after Font Awesome has drawn its icons
  forwardSidebarToggles();
  watchEquations();
  plainSearchSummaries();
});
