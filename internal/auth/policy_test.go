package auth

import "testing"

func TestDecide(t *testing.T) {
	tests := []struct {
		role     Role
		action   Action
		resource Resource
		want     Decision
	}{
		{RoleAdmin, Delete, ResControl, Allow},
		{RoleAdmin, Create, ResMember, Allow},
		{RoleAdmin, Delete, ResOrg, Deny},
		{RoleManager, Create, ResControl, Allow},
		{RoleManager, Update, ResMember, Deny},
		{RoleContributor, Read, ResControl, Allow},
		{RoleContributor, Update, ResControl, AllowOwn},
		{RoleContributor, Create, ResControl, Deny},
		{RoleContributor, Delete, ResControl, Deny},
		{RoleAuditor, Read, ResControl, Allow},
		{RoleAuditor, Update, ResControl, Deny},
		{RoleAuditor, Create, ResAudit, Allow},
		{RoleAuditor, Delete, ResAudit, Deny},
		{RoleViewer, Read, ResTrail, Allow},
		{RoleViewer, Update, ResControl, Deny},
		{RoleViewer, Create, ResAudit, Deny},
		{RoleManager, Create, ResImpactApproval, Allow},
		{RoleContributor, Update, ResAISystem, AllowOwn},
		{RoleContributor, Create, ResAISystem, Deny},
		{RoleContributor, Create, ResImpactAssessment, AllowOwn},
		{RoleContributor, Create, ResImpactApproval, Deny},
		{RoleContributor, Update, ResSupplier, AllowOwn},
		{RoleAuditor, Update, ResDataset, Deny},
		{RoleAuditor, Read, ResImpactAssessment, Allow},
		{RoleViewer, Create, ResSupplier, Deny},
		{Role("owner"), Read, ResControl, Deny},
	}
	for _, tt := range tests {
		if got := Decide(tt.role, tt.action, tt.resource); got != tt.want {
			t.Errorf("%s %s %s = %d, want %d", tt.role, tt.action, tt.resource, got, tt.want)
		}
	}
	// Every role may read everything in its organization.
	for _, r := range Roles {
		for _, res := range []Resource{ResOrg, ResMember, ResControl, ResTrail, ResAudit, ResAISystem, ResDataset, ResSupplier, ResImpactAssessment} {
			if Decide(r, Read, res) != Allow {
				t.Errorf("%s cannot read %s", r, res)
			}
		}
	}
	// Nobody writes the trail.
	for _, r := range Roles {
		for _, a := range []Action{Create, Update, Delete} {
			if Decide(r, a, ResTrail) != Deny {
				t.Errorf("%s may %s the trail", r, a)
			}
		}
	}
}
