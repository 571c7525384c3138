// Small progressive enhancements; every page works without them.
document.addEventListener("htmx:afterSwap", (event) => {
  // Keep keyboard users where they were: move focus to the first error, if any.
  const error = event.detail.target.querySelector("[role=alert]");
  if (error) {
    const field = error.closest(".field")?.querySelector("input, select, textarea");
    (field || error).focus?.();
  }
});
