package githubfake

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// app is the one GitHub App the fake knows.
type app struct {
	id      int64
	slug    string
	name    string
	key     *rsa.PrivateKey
	pem     []byte
	created time.Time
	err     error
}

func newApp(opts Options) app {
	a := app{id: opts.AppID, slug: opts.AppSlug, name: opts.AppName, key: opts.AppKey, created: opts.Now()}
	if a.key == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			a.err = fmt.Errorf("generate app key: %w", err)
			return a
		}
		a.key = k
	}
	a.pem = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(a.key)})
	return a
}

type installation struct {
	id          int64
	account     *user
	created     time.Time
	suspended   bool
	revoked     bool // the App was uninstalled (Revoke): gone from every listing
	permissions map[string]string
}

type token struct {
	value   string
	inst    int64
	expires time.Time
}

// AppID is the App's integration ID.
func (s *Server) AppID() int64 { return s.app.id }

// AppSlug is the App's slug; its bot user is AppSlug()+"[bot]".
func (s *Server) AppSlug() string { return s.app.slug }

// AppPrivateKeyPEM is the App's private key (PKCS#1 PEM), as GitHub hands
// it out: feed it to githubapp.NewClientCreator.
func (s *Server) AppPrivateKeyPEM() []byte { return append([]byte(nil), s.app.pem...) }

func (s *Server) botLogin() string { return s.app.slug + "[bot]" }

// defaultPermissions are the App's permissions as app.yml asks for them.
func defaultPermissions() map[string]string {
	return map[string]string{
		"checks": "write", "contents": "read", "discussions": "write", "issues": "write",
		"metadata": "read", "members": "read", "pull_requests": "write",
	}
}

// AddInstallation installs the App on an account ("Organization" or
// "User") and returns the installation ID.
func (s *Server) AddInstallation(account, accountType string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if accountType != "Organization" && accountType != "User" {
		s.violate("setup: AddInstallation(%q): account type %q is neither Organization nor User", account, accountType)
		return 0
	}
	for _, in := range s.installations {
		if !in.revoked && strings.EqualFold(in.account.login, account) {
			s.violate("setup: AddInstallation(%q): the App is already installed there (installation %d)", account, in.id)
			return in.id
		}
	}
	u := s.userLocked(account, accountType)
	id := s.newID()
	s.installations[id] = &installation{id: id, account: u, created: s.opts.Now(), permissions: defaultPermissions()}
	return id
}

// SuspendInstallation makes token minting fail with 403, as GitHub does for
// suspended installations; it also revokes the installation's tokens.
func (s *Server) SuspendInstallation(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.installations[id]
	if in == nil {
		s.violate("setup: SuspendInstallation(%d): no such installation", id)
		return
	}
	in.suspended = true
	for k, t := range s.tokens {
		if t.inst == id {
			delete(s.tokens, k)
		}
	}
}

// Revoke uninstalls the App from an installation, as when its owner removes
// it: the installation disappears from the App's listings, minting a token
// for it answers 404 like GitHub, and its existing tokens answer 401 "Bad
// credentials". Neither answer is a violation: a client cannot know before
// it asks (the installation.deleted webhook may arrive after its next call).
func (s *Server) Revoke(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.installations[id]
	if in == nil {
		s.violate("setup: Revoke(%d): no such installation", id)
		return
	}
	in.revoked = true
	for k, t := range s.tokens {
		if t.inst == id {
			delete(s.tokens, k)
			s.revokedTokens[k] = true
		}
	}
}

// liveInstallation is the installation with id unless it is unknown or
// revoked. Callers hold s.mu.
func (s *Server) liveInstallation(id int64) *installation {
	in := s.installations[id]
	if in == nil || in.revoked {
		return nil
	}
	return in
}

// authenticate checks the Authorization header against what the operation
// needs: the App's JWT for App endpoints, an installation token otherwise.
// Callers hold s.mu.
func (s *Server) authenticate(c *call) (response, bool) {
	auth := c.r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(auth, " ")
	cred = strings.TrimSpace(cred)
	if needsJWT(c.op) {
		if !strings.EqualFold(scheme, "Bearer") || cred == "" {
			return errResp(http.StatusUnauthorized, "A JSON web token could not be decoded"), false
		}
		if err := s.checkJWT(cred); err != nil {
			return errResp(http.StatusUnauthorized, err.Error()), false
		}
		return response{}, true
	}
	if (!strings.EqualFold(scheme, "token") && !strings.EqualFold(scheme, "Bearer")) || cred == "" {
		return errResp(http.StatusUnauthorized, "Requires authentication"), false
	}
	t := s.tokens[cred]
	if t == nil && s.revokedTokens[cred] {
		c.revoked = true
		return errResp(http.StatusUnauthorized, "Bad credentials"), false
	}
	if t == nil {
		if strings.Count(cred, ".") == 2 {
			return errResp(http.StatusUnauthorized, "an App JWT cannot call "+c.op+": use an installation token"), false
		}
		return errResp(http.StatusUnauthorized, "Bad credentials"), false
	}
	if !s.opts.WallNow().Before(t.expires) {
		return errResp(http.StatusUnauthorized, "Bad credentials (installation token expired)"), false
	}
	c.inst = s.installations[t.inst]
	return response{}, true
}

// needsJWT reports whether GitHub authenticates op as the App itself.
func needsJWT(op string) bool {
	_, path, _ := strings.Cut(op, " ")
	switch {
	case path == "/app" || strings.HasPrefix(path, "/app/"):
		return true
	case path == "/repos/{owner}/{repo}/installation", path == "/orgs/{org}/installation", path == "/users/{username}/installation":
		return true
	}
	return false
}

// checkJWT verifies an App JWT like GitHub: RS256 signed by the App key,
// iss = App ID, iat not in the future, exp at most 10 minutes ahead.
func (s *Server) checkJWT(raw string) error {
	now := s.opts.WallNow()
	claims := &jwt.RegisteredClaims{}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	_, err := parser.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return &s.app.key.PublicKey, nil })
	if err != nil {
		return fmt.Errorf("A JSON web token could not be decoded: %v", err)
	}
	if claims.Issuer != strconv.FormatInt(s.app.id, 10) {
		return fmt.Errorf("'Issuer' claim ('iss') must be the App ID %d, got %q", s.app.id, claims.Issuer)
	}
	if claims.IssuedAt == nil || claims.ExpiresAt == nil {
		return fmt.Errorf("'Issued at' (iat) and 'Expiration time' (exp) claims are required")
	}
	if claims.IssuedAt.After(now.Add(60 * time.Second)) {
		return fmt.Errorf("'Issued at' claim ('iat') must be an Integer representing a time in the past")
	}
	if !claims.ExpiresAt.After(now) {
		return fmt.Errorf("'Expiration time' claim ('exp') is in the past")
	}
	if claims.ExpiresAt.After(now.Add(10*time.Minute + 30*time.Second)) {
		return fmt.Errorf("'Expiration time' claim ('exp') is too far in the future")
	}
	return nil
}

func (s *Server) mintToken(inst int64) *token {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	t := &token{value: "ghs_" + hex.EncodeToString(b), inst: inst, expires: s.opts.WallNow().Add(time.Hour).Truncate(time.Second)}
	s.tokens[t.value] = t
	return t
}

// InstallationToken mints an installation token directly (for tests that
// build their own clients without the App JWT dance).
func (s *Server) InstallationToken(inst int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.installations[inst] == nil {
		s.violate("setup: InstallationToken(%d): no such installation", inst)
		return ""
	}
	return s.mintToken(inst).value
}

func (s *Server) appJSON() map[string]any {
	owner := s.userJSON(s.userLocked(s.app.slug+"-owner", "Organization"))
	return map[string]any{
		"id": s.app.id, "slug": s.app.slug, "name": s.app.name, "node_id": nodeID("A", s.app.id),
		"owner": owner, "description": "", "external_url": "https://overlap.example",
		"html_url":   "https://github.com/apps/" + s.app.slug,
		"created_at": ts(s.app.created), "updated_at": ts(s.app.created),
		"permissions":         defaultPermissions(),
		"events":              []string{"check_run", "issue_comment", "issues", "pull_request", "pull_request_review", "push", "discussion", "discussion_comment", "installation"},
		"installations_count": len(s.installations),
	}
}

func (s *Server) installationJSON(in *installation) map[string]any {
	return map[string]any{
		"id": in.id, "app_id": s.app.id, "app_slug": s.app.slug, "target_id": in.account.id,
		"target_type": in.account.typ, "account": s.userJSON(in.account),
		"repository_selection": "selected",
		"access_tokens_url":    s.URL() + fmt.Sprintf("/app/installations/%d/access_tokens", in.id),
		"repositories_url":     s.URL() + "/installation/repositories",
		"html_url":             fmt.Sprintf("https://github.com/settings/installations/%d", in.id),
		"permissions":          in.permissions,
		"events":               []string{"check_run", "issue_comment", "issues", "pull_request", "pull_request_review", "push"},
		"created_at":           ts(in.created), "updated_at": ts(in.created),
		"single_file_name": nil, "suspended_at": nil, "suspended_by": nil,
	}
}

func hGetApp(s *Server, c *call) response { return jsonResp(http.StatusOK, s.appJSON()) }

func hListInstallations(s *Server, c *call) response {
	ids := make([]int64, 0, len(s.installations))
	for id, in := range s.installations {
		if !in.revoked {
			ids = append(ids, id)
		}
	}
	sortInt64(ids)
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.installationJSON(s.installations[id]))
	}
	page, h := paginate(c, out)
	return response{status: http.StatusOK, body: page, header: h}
}

func hGetInstallation(s *Server, c *call) response {
	in := s.liveInstallation(int64(atoiDefault(c.params["installation_id"], -1)))
	if in == nil {
		return notFound()
	}
	return jsonResp(http.StatusOK, s.installationJSON(in))
}

func hCreateToken(s *Server, c *call) response {
	in := s.liveInstallation(int64(atoiDefault(c.params["installation_id"], -1)))
	if in == nil {
		return notFound()
	}
	if in.suspended {
		return errResp(http.StatusForbidden, "This installation has been suspended")
	}
	t := s.mintToken(in.id)
	return jsonResp(http.StatusCreated, map[string]any{
		"token": t.value, "expires_at": ts(t.expires), "permissions": in.permissions,
		"repository_selection": "selected",
	})
}

func hRepoInstallation(s *Server, c *call) response {
	rp := s.repos[repoKey(c.params["owner"], c.params["repo"])]
	if rp == nil || s.liveInstallation(rp.inst) == nil {
		return notFound()
	}
	return jsonResp(http.StatusOK, s.installationJSON(s.installations[rp.inst]))
}

func hAccountInstallation(s *Server, c *call) response {
	login := c.params["org"]
	if login == "" {
		login = c.params["username"]
	}
	for _, in := range s.installations {
		if !in.revoked && strings.EqualFold(in.account.login, login) {
			return jsonResp(http.StatusOK, s.installationJSON(in))
		}
	}
	return notFound()
}

func hInstallationRepos(s *Server, c *call) response {
	var list []any
	for _, k := range slices.Sorted(maps.Keys(s.repos)) {
		if rp := s.repos[k]; rp.inst == c.inst.id {
			list = append(list, s.repoJSON(rp))
		}
	}
	page, h := paginate(c, list)
	return response{status: http.StatusOK, header: h, body: map[string]any{
		"total_count": len(list), "repository_selection": "selected", "repositories": page,
	}}
}
