package config

import (
	"reflect"
	"testing"
)

func TestADRNumberingDirectoryAndAlwaysReport(t *testing.T) {
	for _, tc := range []struct {
		name         string
		file         string
		wantProblems []string
		check        func(t *testing.T, a ADR)
	}{
		{
			name: "defaults: directory unset (.adr-dir, else docs/adr), sequential, not always reported",
			file: "adr:\n  enabled: true\n",
			check: func(t *testing.T, a ADR) {
				if a.Directory != "" || a.Numbering != NumberingSequential || a.AlwaysReport {
					t.Errorf("defaults: %+v", a)
				}
			},
		},
		{
			name: "date numbering and always_report",
			file: "adr:\n  numbering: Date\n  always_report: true\n  directory: decisions\n",
			check: func(t *testing.T, a ADR) {
				if a.Numbering != NumberingDate || !a.AlwaysReport || a.Directory != "decisions" {
					t.Errorf("parsed: %+v", a)
				}
			},
		},
		{
			name:         "unknown numbering",
			file:         "adr:\n  numbering: weekly\n",
			wantProblems: []string{`.github/overlap.yml:2:14: adr.numbering: unknown numbering "weekly" (hint: use sequential or date)`},
		},
		{
			name:         "always_report is a boolean",
			file:         "adr:\n  always_report: sometimes\n",
			wantProblems: []string{`.github/overlap.yml:2:18: adr.always_report: expected true or false, got "sometimes"`},
		},
		{
			name:         "a blank directory is still an error",
			file:         "adr:\n  directory: \" \"\n",
			wantProblems: []string{`.github/overlap.yml:2:3: adr.directory: directory is empty (hint: use a path such as docs/adr)`},
		},
		{
			name:         "an escaping directory is an error",
			file:         "adr:\n  directory: ../adr\n",
			wantProblems: []string{`.github/overlap.yml:2:3: adr.directory: directory must stay inside the repository`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pol, probs := Parse(".github/overlap.yml", []byte(tc.file))
			var got []string
			for _, p := range probs {
				got = append(got, p.Error())
			}
			if !reflect.DeepEqual(got, tc.wantProblems) {
				t.Errorf("problems:\n got %q\nwant %q", got, tc.wantProblems)
			}
			if tc.check != nil {
				tc.check(t, pol.ADR)
			}
		})
	}
}

func TestDescribeADRDirectoryAndOptions(t *testing.T) {
	p := Defaults()
	p.ADR.Directory = "decisions"
	p.ADR.Numbering = NumberingDate
	p.ADR.AlwaysReport = true
	got := Describe(p)[1]
	want := "Decision records: on — labels decision, architecture; ADRs in decisions (nygard), check required, date-named records, always reported"
	if got != want {
		t.Errorf("Describe:\n got %q\nwant %q", got, want)
	}
}
