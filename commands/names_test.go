package commands

import "testing"

var normalizeTests = []struct{ in, want string }{
	{"Financiële  Duurzaamheid", "financiele duurzaamheid"},
	{"  ZEGGENSCHAP ", "zeggenschap"},
	{"bezit (grond en gebouwen)", "bezit (grond en gebouwen)"},
	{"Café Één", "cafe een"},
}

func TestNormalizeName(t *testing.T) {
	for _, tt := range normalizeTests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q)=%q, want %q", tt.in, got, tt.want)
		}
	}
}
