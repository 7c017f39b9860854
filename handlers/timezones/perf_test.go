package timezones
import ("testing";"strings";"time")
func TestPerfTmp(t *testing.T){
 for _, s := range []string{strings.Repeat("Fri ", 16000), strings.Repeat("ship Friday 3pm. ", 4000), strings.Repeat("a", 65000), strings.Repeat("`", 65000), strings.Repeat("` ", 30000), strings.Repeat("\n", 65000), strings.Repeat("    x\n",10000)} {
  st := time.Now(); n := len(Detect(s)); t.Logf("%d bytes %d phrases %v", len(s), n, time.Since(st))
 }
}
