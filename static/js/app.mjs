// Progressive enhancement only: GOV.UK Frontend's components (menu toggle, password reveal,
// error summary focus). Nothing here is needed to complete any journey.
import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js'

initAll()
