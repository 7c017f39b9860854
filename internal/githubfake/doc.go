// Package githubfake is an in-memory GitHub, served over real HTTP on
// loopback, for Overlap's end-to-end tests and its `overlap sandbox`.
//
// The app's real clients talk to it unchanged: go-githubapp's ClientCreator
// with v3 URL Server.URL()+"/" and v4 URL Server.URL()+"/graphql" signs App
// JWTs with AppPrivateKeyPEM, mints installation tokens at
// POST /app/installations/{id}/access_tokens and then calls the REST and
// GraphQL APIs with them.
//
// # Model
//
// One GitHub App (AppID, AppSlug) is installed on accounts (AddInstallation);
// each repository (AddRepo) belongs to one installation, whose tokens are the
// only ones that can see it. Git is modelled as whole-tree snapshots: every
// Commit stores the full file map, git-style SHAs for blobs, trees and
// commits, and moves a branch. Pull requests are issues with a head and base
// branch (one number space per repository); while open, their head SHA follows
// the head branch and their files are the diff of head against the merge
// base. Writes made with an installation token are authored by
// "<slug>[bot]". Two clocks: Options.Now dates the simulated world,
// Options.WallNow judges JWTs, token expiry and rate-limit windows, because
// the clients compare those against the real clock.
//
// # Strictness
//
// The fake is meant to fail tests that would fail in production, so every
// request goes through the checks GitHub applies, and each rejection is
// recorded as a violation (Violations; NewTest fails the test with them):
//
//   - The method and path must match an operation of GitHub's REST API
//     (go-github's openapi_operations.yaml, api.github.com entries): no match
//     is a 404; a real operation the fake does not implement is a 501.
//   - App endpoints need a valid RS256 JWT from the App key (iss, iat, exp
//     checked); everything else an unexpired installation token (401).
//   - Write bodies are validated against the request-body schema of the
//     operation in GitHub's OpenAPI description (422 naming the operation and
//     the schema error), then against the semantic rules the fake knows
//     (check-run conclusions, 50 annotations per request, 65,536-character
//     comment bodies, reviewers who are collaborators...).
//   - GraphQL documents are validated against GitHub's schema (HTTP 200 with
//     errors, as GitHub does); connections need first/last in 1..100.
//
// A repository the token cannot see answers 404 like GitHub, without a
// violation: that is an answer, not a malformed request.
//
// # Observability and faults
//
// Every response carries X-RateLimit-* headers from a per-installation,
// per-resource (core, graphql) window; 304s do not count. Calls counts
// requests per operation template, Writes logs write requests, Requests logs
// everything, and Inject makes matching requests fail or slow down: before
// they are handled, or after (Fault.AfterApply: the write took effect, the
// client saw a 502 or a dropped connection). Options.Latency / SetLatency
// slow every request down.
//
// Rate limits behave as GitHub's (limits.go): a spent hourly budget is a 403
// with X-RateLimit-Remaining: 0 (GraphQL: 200 with RATE_LIMITED); a
// secondary limit (a 403/429 Fault with RetryAfter, or
// Options.ContentWritesPerMinute) is a 403/429 with Retry-After. A caller
// that keeps calling inside either window is refused again and each such
// request is a violation, listed by RateLimitViolations. Revoke uninstalls
// the App from an installation (token mint 404, old tokens 401).
//
// # Webhooks
//
// Deliver sends a signed event to the App's webhook (Options.WebhookURL or
// SetWebhook) and records the attempt with the app's answer, like GitHub's
// delivery log; GET /app/hook/deliveries (cursor pagination, newest first,
// 3-day Retention), GET /app/hook/deliveries/{id} and POST
// /app/hook/deliveries/{id}/attempts (202, then an asynchronous redelivery
// with the same GUID; WaitDeliveries) serve it. GitHub never redelivers on
// its own, and neither does the fake.
package githubfake
