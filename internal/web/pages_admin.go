package web

import (
	"net/http"
	"net/url"
	"strconv"

	"tandem/internal/domain"
	"tandem/internal/i18n"
)

type usersData struct {
	*Shell
	List []domain.User
	Q    string
	Next string
}

// userListSize is one page of the users page.
const userListSize = 100

// userList shows every user of the instance to instance administrators.
func (h *handler) userList(w http.ResponseWriter, r *http.Request) {
	sh, err := h.shell(r, nil)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sh.Title, sh.Section = i18n.T("web.users.title"), "users"
	q := r.URL.Query().Get("q")
	page, err := h.st.Users(r.Context(), q, userListSize, r.URL.Query().Get("cursor"))
	if _, bad := domain.AsValidation(err); bad {
		page, err = h.st.Users(r.Context(), q, userListSize, "")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &usersData{Shell: sh, List: page.Items, Q: q}
	if page.Next != nil {
		d.Next = "/admin/users?" + url.Values{"q": {q}, "cursor": {*page.Next}}.Encode()
	}
	h.render(w, r, http.StatusOK, "users", d)
}

// userActive deactivates or reactivates a user. Deactivation ends their
// sessions and revokes their tokens at once; administrators cannot
// deactivate themselves (someone must be left to undo it).
func (h *handler) userActive(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.badForm(w, r)
		return
	}
	p := scope(r).Principal
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	active := r.PostForm.Get("active") == "true"
	if id == p.User.ID && !active {
		h.errorPage(w, r, http.StatusUnprocessableEntity, "web.users.not_yourself")
		return
	}
	if err := h.st.SetActive(r.Context(), p.Actor(), id, active); err != nil {
		h.fail(w, r, err)
		return
	}
	notice := "user_activated"
	if !active {
		notice = "user_deactivated"
	}
	http.Redirect(w, r, "/admin/users?notice="+notice, http.StatusSeeOther)
}
