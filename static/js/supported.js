/*
 * Marks the page as JavaScript-enabled for GOV.UK Frontend and MoJ Frontend.
 *
 * This replaces GOV.UK's inline <script> snippet
 *   document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
 * with an external file, because our Content-Security-Policy forbids inline scripts.
 *
 * Load it as a classic, synchronous script (no type="module", defer or async) in <head>:
 *   <script src="{% static 'js/supported.js' %}"></script>
 * It can also be the first element inside <body>.
 *
 * From <head>, <body> does not exist yet, so the classes go on <html> immediately (the
 * stylesheet only uses them as ancestor selectors, so there is no flash of un-enhanced
 * content) and on <body> as soon as the parser creates it - before any
 * <script type="module"> runs, which is when GOV.UK Frontend checks <body> for
 * "govuk-frontend-supported".
 */
(function () {
  'use strict'

  var classes = ['js-enabled']
  if ('noModule' in HTMLScriptElement.prototype) {
    classes.push('govuk-frontend-supported')
  }

  function mark (element) {
    for (var i = 0; i < classes.length; i++) {
      element.classList.add(classes[i])
    }
  }

  if (document.body) {
    mark(document.body)
    return
  }

  mark(document.documentElement)

  var observer = new MutationObserver(function () {
    if (document.body) {
      mark(document.body)
      observer.disconnect()
    }
  })
  observer.observe(document.documentElement, { childList: true })
})()
