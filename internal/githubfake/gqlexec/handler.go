package gqlexec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// maxRequestBytes caps a GraphQL request body; Overlap's batched queries are
// a few kilobytes.
const maxRequestBytes = 4 << 20

// request is the body of a GraphQL-over-HTTP POST.
type request struct {
	Query         *string        `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
}

// response is the GraphQL response shape. Data is omitted when execution did
// not start (invalid document, bad variables), as the specification says.
type response struct {
	Data   *json.RawMessage `json:"data,omitempty"`
	Errors []error          `json:"errors,omitempty"`
}

// Handler serves GraphQL over HTTP like api.github.com/graphql: POST a JSON
// body {query, variables, operationName}; the answer is always HTTP 200 with
// {"data":..., "errors":[...]} except for a body that is not JSON (400) or a
// method other than POST (405).
//
// root is called once per request for the data to answer from (nil means an
// empty root). onQuery, if not nil, sees every query with all of its
// validation and execution errors, so tests can fail on any document the app
// sends that GitHub would reject.
func (s *Schema) Handler(root func(r *http.Request) map[string]any, onQuery func(query string, errs []error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeJSON(w, http.StatusMethodNotAllowed, response{Errors: []error{gqlerror.Errorf("GraphQL requests must be POSTed")}})
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, response{Errors: []error{gqlerror.Errorf("read request body: %v", err)}})
			return
		}
		if len(body) > maxRequestBytes {
			writeJSON(w, http.StatusRequestEntityTooLarge, response{Errors: []error{gqlerror.Errorf("request body over %d bytes", maxRequestBytes)}})
			return
		}
		var req request
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber() // keep large IDs and counts exact
		if err := dec.Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, response{Errors: []error{gqlerror.Errorf("Problems parsing JSON: %v", err)}})
			return
		}
		if req.Query == nil || *req.Query == "" {
			errs := []error{gqlerror.Errorf("A query attribute must be specified and must be a string.")}
			if onQuery != nil {
				onQuery("", errs)
			}
			writeJSON(w, http.StatusOK, response{Errors: errs})
			return
		}
		var data map[string]any
		if root != nil {
			data = root(r)
		}
		out, executed, errs := s.run(r.Context(), *req.Query, req.OperationName, req.Variables, data)
		if onQuery != nil {
			onQuery(*req.Query, errs)
		}
		resp := response{Errors: wireErrors(errs)}
		if executed {
			raw, err := json.Marshal(out)
			if err != nil {
				resp.Errors = append(resp.Errors, gqlerror.Errorf("encode data: %v", err))
				raw = []byte("null")
			}
			msg := json.RawMessage(raw)
			resp.Data = &msg
		}
		writeJSON(w, http.StatusOK, resp)
	})
}

// wireErrors drops the "file" extension gqlparser adds (the name of the
// query source): GitHub's errors carry only message, locations and path.
func wireErrors(errs []error) []error {
	out := make([]error, len(errs))
	for i, err := range errs {
		ge, ok := err.(*gqlerror.Error)
		if !ok {
			out[i] = gqlerror.Wrap(err)
			continue
		}
		if _, has := ge.Extensions["file"]; has {
			c := *ge
			c.Extensions = nil
			for k, v := range ge.Extensions {
				if k == "file" {
					continue
				}
				if c.Extensions == nil {
					c.Extensions = map[string]any{}
				}
				c.Extensions[k] = v
			}
			ge = &c
		}
		out[i] = ge
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(fmt.Sprintf(`{"errors":[{"message":%q}]}`, "encode response: "+err.Error()))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
