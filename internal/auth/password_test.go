package auth

import (
	"strings"
	"testing"
)

func TestPasswords(t *testing.T) {
	long := strings.Repeat("ä", 500) // 1000 bytes: long passphrases are not truncated
	tests := []struct {
		name, password, attempt string
		ok                      bool
	}{
		{"same", "correct horse battery", "correct horse battery", true},
		{"wrong", "correct horse battery", "correct horse battery!", false},
		{"empty attempt", "correct horse battery", "", false},
		{"long same", long, long, true},
		{"long differs at the end", long, long[:len(long)-2] + "ö", false},
	}
	for _, tt := range tests {
		h, err := HashPassword(tt.password)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
			t.Errorf("%s: hash %q is not a PHC argon2id string", tt.name, h)
		}
		if err := CheckPassword(h, tt.attempt); (err == nil) != tt.ok {
			t.Errorf("%s: check = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
	a, _ := HashPassword("same password")
	b, _ := HashPassword("same password")
	if a == b {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if CheckPassword("$2a$10$notargon", "x") == nil || CheckNoUser("x") == nil {
		t.Error("a foreign hash or no user must not match")
	}
	if p := GeneratePassword(); len(p) != 20 {
		t.Errorf("generated %q", p)
	}
}
