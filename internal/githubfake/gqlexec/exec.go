package gqlexec

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Lazy is a field value that depends on the field's arguments, such as
// `history(path:, first:)`. It receives every argument the schema defines
// that has a value: literals and variables resolved, schema defaults applied
// (also inside input objects). Int arrives as int, Float as float64, ID,
// String and enum values as string, Boolean as bool, lists as []any and input
// objects as map[string]any; an explicit null arrives as a nil entry. An
// error it returns becomes a GraphQL field error and the field null.
type Lazy func(args map[string]any) (any, error)

// MutationKey is the root map key whose value (a map of Lazy) answers mutations.
const MutationKey = "__mutation"

// Execute validates query and executes its only operation against root.
// See ExecuteOperation.
func (s *Schema) Execute(ctx context.Context, query string, vars map[string]any, root map[string]any) (map[string]any, []error) {
	data, _, errs := s.run(ctx, query, "", vars, root)
	return data, errs
}

// ExecuteOperation validates query and executes the operation named
// operationName ("" when the document holds exactly one) against root.
// Queries resolve against root itself, mutations against root[MutationKey].
//
// Errors are *gqlerror.Error values shaped like GraphQL response errors
// (message, locations, path). An invalid document or bad variables yield nil
// data; field errors yield partial data with nulls where the spec puts them.
func (s *Schema) ExecuteOperation(ctx context.Context, query, operationName string, vars map[string]any, root map[string]any) (map[string]any, []error) {
	data, _, errs := s.run(ctx, query, operationName, vars, root)
	return data, errs
}

// run reports, besides the result, whether execution started: the response
// carries a "data" member only then.
func (s *Schema) run(ctx context.Context, query, operationName string, vars map[string]any, root map[string]any) (data map[string]any, executed bool, errs []error) {
	doc, errs := s.Validate(query)
	if len(errs) > 0 {
		return nil, false, errs
	}
	op, err := pickOperation(doc, operationName)
	if err != nil {
		return nil, false, []error{err}
	}
	e := &executor{ctx: ctx, schema: s.schema, doc: doc}
	defer func() {
		// The validator guarantees the document matches the schema, so a panic
		// here is a bug; report it as an error rather than crash the emulator.
		if r := recover(); r != nil {
			data, executed = nil, true
			errs = append(e.errs, gqlerror.Errorf("internal error executing %s: %v", op.Name, r))
		}
	}()
	if e.vars, err = e.coerceVariables(op, vars); err != nil {
		return nil, false, []error{err}
	}
	var rootType *ast.Definition
	obj := root
	switch op.Operation {
	case ast.Query:
		rootType = s.schema.Query
	case ast.Mutation:
		rootType = s.schema.Mutation
		m, ok := root[MutationKey].(map[string]any)
		if !ok {
			return nil, false, []error{gqlerror.ErrorPosf(op.Position, "mutations are not available: root has no %q map", MutationKey)}
		}
		obj = m
	default:
		return nil, false, []error{gqlerror.ErrorPosf(op.Position, "%s operations are not supported", op.Operation)}
	}
	if rootType == nil {
		return nil, false, []error{gqlerror.ErrorPosf(op.Position, "schema has no %s type", op.Operation)}
	}
	if obj == nil {
		obj = map[string]any{}
	}
	out, ok := e.selectionSet(op.SelectionSet, rootType, obj, nil)
	if !ok {
		out = nil
	}
	return out, true, e.errs
}

func pickOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, error) {
	if name != "" {
		op := doc.Operations.ForName(name)
		if op == nil {
			return nil, gqlerror.Errorf("unknown operation named %q", name)
		}
		return op, nil
	}
	switch len(doc.Operations) {
	case 0:
		return nil, gqlerror.Errorf("the document contains no operation")
	case 1:
		return doc.Operations[0], nil
	default:
		return nil, gqlerror.Errorf("an operationName is required when the document contains %d operations", len(doc.Operations))
	}
}

type executor struct {
	ctx    context.Context
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
	errs   []error
}

func (e *executor) fieldError(f *ast.Field, path ast.Path, format string, args ...any) {
	err := &gqlerror.Error{Message: fmt.Sprintf(format, args...), Path: path}
	if f != nil && f.Position != nil {
		err.Locations = []gqlerror.Location{{Line: f.Position.Line, Column: f.Position.Column}}
	}
	e.errs = append(e.errs, err)
}

func (e *executor) coerceVariables(op *ast.OperationDefinition, given map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(op.VariableDefinitions))
	for _, vd := range op.VariableDefinitions {
		raw, has := given[vd.Variable]
		if !has {
			if vd.DefaultValue != nil {
				v, err := vd.DefaultValue.Value(nil)
				if err != nil {
					return nil, gqlerror.ErrorPosf(vd.Position, "variable $%s: default value: %v", vd.Variable, err)
				}
				raw, has = v, true
			} else if vd.Type.NonNull {
				return nil, gqlerror.ErrorPosf(vd.Position, "variable $%s of required type %s was not provided", vd.Variable, vd.Type)
			}
		}
		if !has {
			continue
		}
		v, err := e.coerceInput(raw, vd.Type)
		if err != nil {
			return nil, gqlerror.ErrorPosf(vd.Position, "variable $%s got an invalid value: %v", vd.Variable, err)
		}
		out[vd.Variable] = v
	}
	return out, nil
}

// collect implements CollectFields from the GraphQL specification: it
// flattens fragments whose type condition applies to objType, honours @skip
// and @include, and groups fields by response key (alias or name), keeping
// the order of first appearance.
func (e *executor) collect(set ast.SelectionSet, objType *ast.Definition, keys *[]string, groups map[string][]*ast.Field, visited map[string]bool) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if !e.included(sel.Directives) {
				continue
			}
			key := sel.Alias
			if key == "" {
				key = sel.Name
			}
			if _, ok := groups[key]; !ok {
				*keys = append(*keys, key)
			}
			groups[key] = append(groups[key], sel)
		case *ast.InlineFragment:
			if !e.included(sel.Directives) || !e.applies(sel.TypeCondition, objType) {
				continue
			}
			e.collect(sel.SelectionSet, objType, keys, groups, visited)
		case *ast.FragmentSpread:
			if !e.included(sel.Directives) || visited[sel.Name] {
				continue
			}
			visited[sel.Name] = true
			frag := e.doc.Fragments.ForName(sel.Name)
			if frag == nil || !e.applies(frag.TypeCondition, objType) {
				continue
			}
			e.collect(frag.SelectionSet, objType, keys, groups, visited)
		}
	}
}

func (e *executor) applies(cond string, objType *ast.Definition) bool {
	if cond == "" || cond == objType.Name {
		return true
	}
	def := e.schema.Types[cond]
	if def == nil || !def.IsAbstractType() {
		return false
	}
	for _, t := range e.schema.GetPossibleTypes(def) {
		if t.Name == objType.Name {
			return true
		}
	}
	return false
}

func (e *executor) included(dirs ast.DirectiveList) bool {
	for _, d := range dirs {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		arg := d.Arguments.ForName("if")
		if arg == nil {
			continue
		}
		v, err := arg.Value.Value(e.vars)
		b, _ := v.(bool)
		if err != nil {
			continue
		}
		if d.Name == "skip" && b || d.Name == "include" && !b {
			return false
		}
	}
	return true
}

// selectionSet executes set on obj. ok is false when a non-null field came
// out null, so the whole object must be null (and the caller decides whether
// that in turn propagates).
func (e *executor) selectionSet(set ast.SelectionSet, objType *ast.Definition, obj map[string]any, path ast.Path) (map[string]any, bool) {
	var keys []string
	groups := map[string][]*ast.Field{}
	e.collect(set, objType, &keys, groups, map[string]bool{})
	out := make(map[string]any, len(keys))
	ok := true
	for _, key := range keys {
		v, fieldOK := e.field(objType, obj, groups[key], appendPath(path, ast.PathName(key)))
		if !fieldOK {
			ok = false
			continue
		}
		out[key] = v
	}
	if !ok {
		return nil, false
	}
	return out, true
}

func appendPath(p ast.Path, el ast.PathElement) ast.Path {
	out := make(ast.Path, len(p), len(p)+1)
	copy(out, p)
	return append(out, el)
}

func (e *executor) field(objType *ast.Definition, obj map[string]any, fields []*ast.Field, path ast.Path) (any, bool) {
	f := fields[0]
	if f.Name == "__typename" {
		return objType.Name, true
	}
	def := objType.Fields.ForName(f.Name)
	if def == nil {
		e.fieldError(f, path, "field %q is not defined on %s (introspection is not supported)", f.Name, objType.Name)
		return nil, true
	}
	if err := e.ctx.Err(); err != nil {
		e.fieldError(f, path, "%v", err)
		return nil, !def.Type.NonNull
	}
	val := obj[f.Name]
	var lazy Lazy
	switch fn := val.(type) {
	case Lazy:
		lazy = fn
	case func(map[string]any) (any, error):
		lazy = fn
	}
	if lazy != nil {
		args, err := e.arguments(def.Arguments, f.Arguments)
		if err != nil {
			e.fieldError(f, path, "%s.%s: %v", objType.Name, f.Name, err)
			return nil, !def.Type.NonNull
		}
		if val, err = lazy(args); err != nil {
			e.fieldError(f, path, "%v", err)
			return nil, !def.Type.NonNull
		}
	}
	return e.complete(objType.Name+"."+f.Name, def.Type, fields, val, path)
}

// complete turns a resolved value into its response form for type t. The
// bool is false when the result is null although t is non-null: the caller
// must then become null itself.
func (e *executor) complete(where string, t *ast.Type, fields []*ast.Field, v any, path ast.Path) (any, bool) {
	f := fields[0]
	if isNull(v) {
		if t.NonNull {
			e.fieldError(f, path, "Cannot return null for non-nullable field %s (type %s)", where, t)
			return nil, false
		}
		return nil, true
	}
	if t.Elem != nil {
		items, ok := asList(v)
		if !ok {
			e.fieldError(f, path, "%s: expected a list for %s, got %T", where, t, v)
			return nil, !t.NonNull
		}
		out := make([]any, len(items))
		for i, item := range items {
			r, ok := e.complete(where, t.Elem, fields, item, appendPath(path, ast.PathIndex(i)))
			if !ok {
				return nil, !t.NonNull
			}
			out[i] = r
		}
		return out, true
	}
	def := e.schema.Types[t.NamedType]
	if def == nil {
		e.fieldError(f, path, "%s: unknown type %s", where, t.NamedType)
		return nil, !t.NonNull
	}
	switch def.Kind {
	case ast.Scalar, ast.Enum:
		r, err := serializeLeaf(def, v)
		if err != nil {
			e.fieldError(f, path, "%s: %v", where, err)
			return nil, !t.NonNull
		}
		return r, true
	}
	obj, ok := v.(map[string]any)
	if !ok {
		e.fieldError(f, path, "%s: expected an object (map[string]any) for %s, got %T", where, def.Name, v)
		return nil, !t.NonNull
	}
	concrete, err := e.concreteType(def, obj)
	if err != nil {
		e.fieldError(f, path, "%s: %v", where, err)
		return nil, !t.NonNull
	}
	var sub ast.SelectionSet
	for _, fld := range fields {
		sub = append(sub, fld.SelectionSet...)
	}
	r, ok := e.selectionSet(sub, concrete, obj, path)
	if !ok {
		return nil, !t.NonNull
	}
	return r, true
}

// concreteType finds the object type of obj where def is expected: def
// itself for an object type, else the type named by obj["__typename"], which
// must implement the interface or belong to the union.
func (e *executor) concreteType(def *ast.Definition, obj map[string]any) (*ast.Definition, error) {
	name, _ := obj["__typename"].(string)
	if def.Kind == ast.Object {
		if name != "" && name != def.Name {
			return nil, fmt.Errorf("object has __typename %q where %s is expected", name, def.Name)
		}
		return def, nil
	}
	if name == "" {
		return nil, fmt.Errorf("cannot tell the concrete type for %s %s: the object has no \"__typename\" key", kindName(def), def.Name)
	}
	for _, t := range e.schema.GetPossibleTypes(def) {
		if t.Name == name {
			return t, nil
		}
	}
	return nil, fmt.Errorf("%s is not a possible type of %s %s", name, kindName(def), def.Name)
}

func kindName(def *ast.Definition) string {
	if def.Kind == ast.Union {
		return "union"
	}
	return "interface"
}

func isNull(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface, reflect.Func:
		return rv.IsNil()
	}
	return false
}

func asList(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// serializeLeaf checks and converts a scalar or enum value for the response.
// Times follow GitHub: DateTime and friends in UTC, GitTimestamp keeping the
// commit's own offset, Date as a calendar date.
func serializeLeaf(def *ast.Definition, v any) (any, error) {
	if t, ok := v.(time.Time); ok {
		switch def.Name {
		case "Date":
			return t.Format(time.DateOnly), nil
		case "GitTimestamp":
			return t.Format(time.RFC3339), nil
		case "DateTime", "PreciseDateTime", "String":
			if def.Name == "PreciseDateTime" {
				return t.UTC().Format(time.RFC3339Nano), nil
			}
			return t.UTC().Format(time.RFC3339), nil
		default:
			return nil, fmt.Errorf("cannot serialize a time.Time as %s", def.Name)
		}
	}
	if def.Kind == ast.Enum {
		s, ok := stringOf(v)
		if !ok {
			return nil, fmt.Errorf("enum %s needs a string value, got %T", def.Name, v)
		}
		if def.EnumValues.ForName(s) == nil {
			return nil, fmt.Errorf("%q is not a value of enum %s", s, def.Name)
		}
		return s, nil
	}
	switch def.Name {
	case "Int":
		n, err := toInt(v)
		if err != nil {
			return nil, err
		}
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, fmt.Errorf("Int cannot represent %d: GraphQL Int is 32-bit", n)
		}
		return n, nil
	case "Float":
		return toFloat(v)
	case "String":
		if s, ok := stringOf(v); ok {
			return s, nil
		}
		return nil, fmt.Errorf("String needs a string value, got %T", v)
	case "Boolean":
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, fmt.Errorf("Boolean needs a bool value, got %T", v)
	case "ID":
		return toID(v)
	}
	// GitHub's custom scalars (URI, HTML, GitObjectID, BigInt, ...) are
	// strings or numbers on the wire.
	switch v.(type) {
	case string, bool, float64, float32, json.Number,
		int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return v, nil
	}
	if s, ok := stringOf(v); ok {
		return s, nil
	}
	return nil, fmt.Errorf("cannot serialize %T as %s", v, def.Name)
}

func stringOf(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, true
	case fmt.Stringer:
		return s.String(), true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.String {
		return rv.String(), true
	}
	return "", false
}

func toInt(v any) (int64, error) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if rv.Uint() > math.MaxInt64 {
			return 0, fmt.Errorf("Int cannot represent %d", rv.Uint())
		}
		return int64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if f != math.Trunc(f) || math.IsInf(f, 0) || math.Abs(f) > 1<<53 {
			return 0, fmt.Errorf("Int cannot represent non-integer %v", f)
		}
		return int64(f), nil
	}
	if n, ok := v.(json.Number); ok {
		i, err := n.Int64()
		if err != nil {
			return 0, fmt.Errorf("Int cannot represent %s", n)
		}
		return i, nil
	}
	return 0, fmt.Errorf("Int needs an integer value, got %T", v)
}

func toFloat(v any) (float64, error) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	}
	if n, ok := v.(json.Number); ok {
		f, err := n.Float64()
		if err != nil {
			return 0, fmt.Errorf("Float cannot represent %s", n)
		}
		return f, nil
	}
	return 0, fmt.Errorf("Float needs a number, got %T", v)
}

func toID(v any) (string, error) {
	if s, ok := stringOf(v); ok {
		return s, nil
	}
	n, err := toInt(v)
	if err != nil {
		return "", fmt.Errorf("ID needs a string or an integer, got %T", v)
	}
	return strconv.FormatInt(n, 10), nil
}

// arguments builds the argument map a Lazy receives.
func (e *executor) arguments(defs ast.ArgumentDefinitionList, given ast.ArgumentList) (map[string]any, error) {
	out := make(map[string]any, len(defs))
	for _, ad := range defs {
		var (
			val any
			has bool
			err error
		)
		if a := given.ForName(ad.Name); a != nil {
			if a.Value.Kind == ast.Variable {
				val, has = e.vars[a.Value.Raw]
			} else {
				val, err = a.Value.Value(e.vars)
				if err != nil {
					return nil, fmt.Errorf("argument %s: %w", ad.Name, err)
				}
				has = true
			}
		}
		if !has && ad.DefaultValue != nil {
			if val, err = ad.DefaultValue.Value(nil); err != nil {
				return nil, fmt.Errorf("argument %s: default: %w", ad.Name, err)
			}
			has = true
		}
		if !has {
			if ad.Type.NonNull {
				return nil, fmt.Errorf("argument %s of type %s is required", ad.Name, ad.Type)
			}
			continue
		}
		if val, err = e.coerceInput(val, ad.Type); err != nil {
			return nil, fmt.Errorf("argument %s: %w", ad.Name, err)
		}
		out[ad.Name] = val
	}
	return out, nil
}

// coerceInput checks an input value (argument or variable) against t and
// normalises it to the forms documented on Lazy.
func (e *executor) coerceInput(v any, t *ast.Type) (any, error) {
	if isNull(v) {
		if t.NonNull {
			return nil, fmt.Errorf("%s cannot be null", t)
		}
		return nil, nil
	}
	if t.Elem != nil {
		items, ok := asList(v)
		if !ok {
			// Input coercion wraps a single value into a list.
			items = []any{v}
		}
		out := make([]any, len(items))
		for i, item := range items {
			c, err := e.coerceInput(item, t.Elem)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = c
		}
		return out, nil
	}
	def := e.schema.Types[t.NamedType]
	if def == nil {
		return nil, fmt.Errorf("unknown type %s", t.NamedType)
	}
	switch def.Kind {
	case ast.Enum:
		s, ok := stringOf(v)
		if !ok || def.EnumValues.ForName(s) == nil {
			return nil, fmt.Errorf("%v is not a value of enum %s", v, def.Name)
		}
		return s, nil
	case ast.InputObject:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s needs an object, got %T", def.Name, v)
		}
		out := make(map[string]any, len(def.Fields))
		for k := range m {
			if def.Fields.ForName(k) == nil {
				return nil, fmt.Errorf("%s has no field %q", def.Name, k)
			}
		}
		for _, fd := range def.Fields {
			fv, has := m[fd.Name]
			if !has && fd.DefaultValue != nil {
				dv, err := fd.DefaultValue.Value(nil)
				if err != nil {
					return nil, fmt.Errorf("%s.%s default: %w", def.Name, fd.Name, err)
				}
				fv, has = dv, true
			}
			if !has {
				if fd.Type.NonNull {
					return nil, fmt.Errorf("%s.%s of type %s is required", def.Name, fd.Name, fd.Type)
				}
				continue
			}
			c, err := e.coerceInput(fv, fd.Type)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", def.Name, fd.Name, err)
			}
			out[fd.Name] = c
		}
		return out, nil
	case ast.Scalar:
		switch def.Name {
		case "Int":
			n, err := toInt(v)
			if err != nil {
				return nil, err
			}
			if n < math.MinInt32 || n > math.MaxInt32 {
				return nil, fmt.Errorf("Int cannot represent %d: GraphQL Int is 32-bit", n)
			}
			return int(n), nil
		case "Float":
			return toFloat(v)
		case "String":
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
				return rv.String(), nil
			}
			return nil, fmt.Errorf("String needs a string, got %T", v)
		case "Boolean":
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.Bool {
				return rv.Bool(), nil
			}
			return nil, fmt.Errorf("Boolean needs a bool, got %T", v)
		case "ID":
			return toID(v)
		}
		if n, ok := v.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				return i, nil
			}
			return n.Float64()
		}
		return v, nil
	}
	return nil, fmt.Errorf("%s is not an input type", def.Name)
}
