package docs

// SetBeforeReread installs fn as the point between a refresh's decision to
// write the tracking issue and its second read of it, where tests record
// another process's write deterministically.
func SetBeforeReread(f *Feature, fn func()) { f.beforeReread = fn }
