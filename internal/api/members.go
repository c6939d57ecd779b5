package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/store"
)

type membersInput struct {
	Org string `path:"org"`
	PageInput
}

type membersOutput struct {
	Body domain.Page[store.Member]
}

type setMemberInput struct {
	MemberPath
	Body struct {
		Role      string     `json:"role" enum:"admin,manager,contributor,auditor,viewer"`
		ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"End of a time-limited grant (external auditors); omit for no end"`
	}
}

// MemberPath addresses one member of an organization (exported: huma reads
// exported embedded structs only).
type MemberPath struct {
	Org   string `path:"org"`
	Email string `path:"email" example:"ada@example.com"`
}

func (a *API) registerMembers(h huma.API) {
	tags := []string{"Members"}
	register(h, access.Org(auth.ResMember, auth.Read), huma.Operation{OperationID: "list-members", Method: http.MethodGet,
		Path: "/api/v1/orgs/{org}/members", Summary: "List the organization's members and their roles", Tags: tags},
		func(ctx context.Context, in *membersInput) (*membersOutput, error) {
			page, err := scope(ctx).Org.Members(ctx, in.Limit, in.Cursor)
			if err != nil {
				return nil, a.problem(ctx, err, "query")
			}
			return &membersOutput{Body: page}, nil
		})

	register(h, access.Org(auth.ResMember, auth.Update), huma.Operation{OperationID: "set-member", Method: http.MethodPut,
		Path: "/api/v1/orgs/{org}/members/{email}", Summary: "Give an existing user a role in the organization (or change it)", Tags: tags},
		func(ctx context.Context, in *setMemberInput) (*struct{}, error) {
			sc := scope(ctx)
			if err := sc.Org.SetMembership(ctx, sc.Actor(), in.Email, in.Body.Role, in.Body.ExpiresAt); err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return nil, nil
		})

	register(h, access.Org(auth.ResMember, auth.Delete), huma.Operation{OperationID: "remove-member", Method: http.MethodDelete,
		Path: "/api/v1/orgs/{org}/members/{email}", Summary: "End a user's membership of the organization", Tags: tags,
		DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *MemberPath) (*struct{}, error) {
			sc := scope(ctx)
			if err := sc.Org.RemoveMembership(ctx, sc.Actor(), in.Email); err != nil {
				return nil, a.problem(ctx, err, "body")
			}
			return nil, nil
		})
}
