/**
 * The dashboard's three files at `/`, `/dashboard.js` and `/dashboard.css`,
 * served without a key (the page asks for one). A strict content security
 * policy: only these files and calls to this origin; no inline code.
 */
import { Layer } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { pageHtml } from "./page/pageHtml.js"
import { pageScript } from "./page/pageScript.js"
import { pageStyle } from "./page/pageStyle.js"

const headers = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
}

const file = (body: string, contentType: string) => HttpServerResponse.text(body, { contentType, headers })

/** @category layers */
export const dashboardRoutes: Layer.Layer<never, never, HttpRouter.HttpRouter> = Layer.mergeAll(
  HttpRouter.add("GET", "/", file(pageHtml, "text/html; charset=utf-8")),
  HttpRouter.add("GET", "/dashboard.js", file(pageScript, "text/javascript; charset=utf-8")),
  HttpRouter.add("GET", "/dashboard.css", file(pageStyle, "text/css; charset=utf-8")),
)
