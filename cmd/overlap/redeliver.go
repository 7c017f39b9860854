package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/overlaphq/overlap/app"
)

// cmdRedeliver runs the redelivery job once: `overlap redeliver [--config
// FILE] [--since 6h]`. It is what an operator runs after an outage, before
// waiting for the schedule; the job is safe to run next to the scheduled
// one (see app.RedeliverFailed).
func cmdRedeliver(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("redeliver", stderr)
	cfgPath := fs.String("config", "", "server config file (YAML)")
	since := fs.Duration("since", 6*time.Hour, "how far back to look for failed deliveries (GitHub keeps 72h)")
	if _, err := parseInterleaved(fs, args); err != nil {
		return usageError{err.Error()}
	}
	if *since <= 0 || *since > app.DeliveryRetention {
		return usageError{fmt.Sprintf("--since %s: want more than 0 and at most %s (GitHub's delivery retention)", *since, app.DeliveryRetention)}
	}
	cfg, opts, err := loadServer(*cfgPath, stderr)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, opts)
	if err != nil {
		return err
	}
	rep, err := a.RedeliverFailed(ctx, time.Now().Add(-*since))
	fmt.Fprintf(stdout, "listed %d deliveries, %d events failed: %d redelivered (%d accepted, %d failing again, %d unconfirmed), %d skipped\n",
		rep.Listed, rep.Failed, rep.Redelivered, rep.Succeeded, rep.StillFailing, rep.Unconfirmed, rep.Skipped)
	return err
}
