// Runs first in <body>: marks the page as having JavaScript, so GOV.UK Frontend components
// enhance themselves. Every page works without it.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
