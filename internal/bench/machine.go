package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine describes where a figure was taken: the bench shares the cores
// with the app and the emulator, and with whatever else the machine runs.
type Machine struct {
	NProc      int
	GOMAXPROCS int
	CPU        string // "model name" of /proc/cpuinfo
	Go         string
	OS         string
}

// ThisMachine reads the machine's description.
func ThisMachine() Machine {
	return Machine{NProc: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), CPU: cpuModel(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
}

func (m Machine) String() string {
	return fmt.Sprintf("nproc %d (GOMAXPROCS %d), %s, %s, %s", m.NProc, m.GOMAXPROCS, m.CPU, m.Go, m.OS)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// Load is the 1-, 5- and 15-minute load average.
type Load [3]float64

// LoadAvg reads /proc/loadavg (zeros where it cannot be read).
func LoadAvg() Load {
	var l Load
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return l
	}
	f := strings.Fields(string(b))
	for i := 0; i < 3 && i < len(f); i++ {
		l[i], _ = strconv.ParseFloat(f[i], 64)
	}
	return l
}

func (l Load) String() string { return fmt.Sprintf("%.2f %.2f %.2f", l[0], l[1], l[2]) }

// Span is when a measurement ran and the machine's load around it.
type Span struct {
	Start, End         time.Time
	LoadStart, LoadEnd Load
}

func begin() Span { return Span{Start: time.Now(), LoadStart: LoadAvg()} }

func (s *Span) end() { s.End, s.LoadEnd = time.Now(), LoadAvg() }

// Took is the span's wall time.
func (s Span) Took() time.Duration { return s.End.Sub(s.Start) }

// LoadNote is "load 1.02 → 1.40" (the 1-minute averages).
func (s Span) LoadNote() string {
	return fmt.Sprintf("load %.2f → %.2f", s.LoadStart[0], s.LoadEnd[0])
}

// Memory is the process's resident set now and at its peak, in KiB, from
// /proc/self/status (VmRSS, VmHWM). The bench, the app and the emulator
// share the process, so this is an upper bound for the app alone.
type Memory struct{ RSS, HWM int64 }

// ReadMemory reads VmRSS and VmHWM (zeros where they cannot be read).
func ReadMemory() Memory {
	var m Memory
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return m
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmRSS":
			m.RSS = n
		case "VmHWM":
			m.HWM = n
		}
	}
	return m
}

func mib(kib int64) string { return fmt.Sprintf("%.0f MiB", float64(kib)/1024) }
