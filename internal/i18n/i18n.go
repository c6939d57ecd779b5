// Package i18n is the one message catalog: every text a person reads in the
// UI, an error or an export is looked up here by message id, so adding a
// language is adding a file under messages/.
package i18n

import (
	"embed"
	"fmt"
	"sort"

	"github.com/goccy/go-yaml"
)

// messages/<lang>/*.yaml: one folder per language; its files are merged
// (one file per area of the program, so that areas grow independently).
//
//go:embed messages
var files embed.FS

// Default is the language used when none is asked for.
const Default = "en"

var catalogs = map[string]map[string]string{}

func init() {
	langs, err := files.ReadDir("messages")
	if err != nil {
		panic(err)
	}
	for _, lang := range langs {
		m := map[string]string{}
		entries, err := files.ReadDir("messages/" + lang.Name())
		if err != nil {
			panic(err)
		}
		for _, e := range entries {
			name := "messages/" + lang.Name() + "/" + e.Name()
			raw, err := files.ReadFile(name)
			if err != nil {
				panic(err)
			}
			part := map[string]string{}
			if err := yaml.Unmarshal(raw, &part); err != nil {
				panic(fmt.Sprintf("i18n %s: %v", name, err))
			}
			for id, msg := range part {
				if _, dup := m[id]; dup {
					panic(fmt.Sprintf("i18n %s: message %s is defined twice", name, id))
				}
				m[id] = msg
			}
		}
		catalogs[lang.Name()] = m
	}
	if catalogs[Default] == nil {
		panic("i18n: no messages/" + Default)
	}
}

// T returns the English text of message id, formatted with args. A missing id
// shows as the id itself so that it is noticed, never as an empty string.
func T(id string, args ...any) string { return Lang(Default).T(id, args...) }

// Lang is one language's view of the catalog.
type Lang string

// T returns the text of message id in this language, falling back to English.
func (l Lang) T(id string, args ...any) string {
	msg, ok := catalogs[string(l)][id]
	if !ok {
		msg, ok = catalogs[Default][id]
	}
	if !ok {
		return id
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// IDs lists the message ids of the default language (for tests).
func IDs() []string {
	ids := make([]string, 0, len(catalogs[Default]))
	for id := range catalogs[Default] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Has reports whether the default language defines id.
func Has(id string) bool { _, ok := catalogs[Default][id]; return ok }
