// Package overlap carries the project's own copy of GitHub's reference data
// (webhook payload examples, the REST operation list and OpenAPI description,
// the GraphQL schema) so that the emulator in internal/githubfake and the
// sandbox work from a clean clone, without ../shared.
package overlap

import "embed"

// GitHubData holds testdata/github: see testdata/github/SOURCES.md for where
// each file comes from. Large files are gzipped.
//
//go:embed testdata/github
var GitHubData embed.FS
