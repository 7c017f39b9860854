package app

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"
)

// NewLogger builds the root logger: JSON lines, or human-readable console
// output when format is "console" (or "auto" and out is a terminal). It
// also sets zerolog.DefaultContextLogger, so work started without a
// request's logger (the queue, the scheduler) still logs.
func NewLogger(out io.Writer, level, format string) (zerolog.Logger, error) {
	lvl := zerolog.InfoLevel
	if level != "" {
		l, err := zerolog.ParseLevel(strings.ToLower(level))
		if err != nil {
			return zerolog.Nop(), fmt.Errorf("logging.level %q: use debug, info, warn or error", level)
		}
		lvl = l
	}
	zerolog.TimeFieldFormat = time.RFC3339Nano
	w := out
	console := format == "console"
	if format == "" || format == "auto" {
		if f, ok := out.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
			console = true
		}
	}
	if console {
		w = zerolog.ConsoleWriter{Out: out, TimeFormat: "15:04:05"}
	}
	logger := zerolog.New(w).Level(lvl).With().Timestamp().Logger()
	zerolog.DefaultContextLogger = &logger
	return logger, nil
}
