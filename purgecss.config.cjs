// PurgeCSS keeps the Bootstrap rules whose class names appear in the templates, forms and scripts; these are the
// ones built at run time ("alert-{{ tag }}", "text-bg-{% if %}success…") or added by Bootstrap's JavaScript.
module.exports = {
  safelist: {
    standard: ["show", "showing", "hiding", "collapsing", "collapse", "fade", "active", "disabled", "was-validated",
               "is-invalid", "is-valid", "offcanvas-backdrop", "modal-backdrop", "dropdown-menu-end", "btn-close"],
    greedy: [/^alert-/, /^text-bg-/, /^col-md-/, /^col-lg-/],
  },
};
