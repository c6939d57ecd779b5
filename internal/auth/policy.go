package auth

// Role is what a member may do in one organization.
type Role string

// The roles, from most to least powerful.
const (
	RoleAdmin       Role = "admin"       // everything in the organization, including its members
	RoleManager     Role = "manager"     // runs the management system
	RoleContributor Role = "contributor" // edits what they own
	RoleAuditor     Role = "auditor"     // reads everything, writes audits and findings only
	RoleViewer      Role = "viewer"      // reads
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleManager, RoleContributor, RoleAuditor, RoleViewer}

// ValidRole reports whether r is a role.
func ValidRole(r string) bool {
	for _, v := range Roles {
		if string(v) == r {
			return true
		}
	}
	return false
}

// Action is what a request does to a resource.
type Action string

const (
	Read   Action = "read"
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete"
)

// Resource is a kind of record.
type Resource string

const (
	ResOrg     Resource = "org"     // the organization record itself
	ResMember  Resource = "member"  // who belongs to it, with which role
	ResControl Resource = "control" // controls and their requirement links
	ResTrail   Resource = "trail"   // the trail (read only, for everyone)
	ResAudit   Resource = "audit"   // audits and their findings
	ResSoA     Resource = "soa"     // applicability decisions; create is issuing a version
	ResRisk    Resource = "risk"    // both risk registers and their treatment actions
	// ResRiskMethod is the organization's risk method: scales, matrix,
	// levels, appetite and who may accept which level.
	ResRiskMethod Resource = "risk_method"
	// ResRiskAcceptance is accepting a residual risk (create); which
	// levels a role may accept is the risk method's authority table.
	ResRiskAcceptance Resource = "risk_acceptance"
	ResAsset          Resource = "asset" // the information asset inventory
	// ResAISystem is the AI system inventory with each system's change
	// events, test records and monitoring and oversight records; a
	// contributor keeps the systems they own.
	ResAISystem Resource = "ai_system"
	ResDataset  Resource = "dataset"  // data for AI systems (42001 A.7)
	ResSupplier Resource = "supplier" // the supplier register of both standards, with assessments
	// ResImpactAssessment is drafting AI system impact assessments; a
	// contributor drafts them for the systems they own.
	ResImpactAssessment Resource = "impact_assessment"
	// ResImpactApproval is approving an impact assessment (create), which
	// freezes its version.
	ResImpactApproval Resource = "impact_approval"
)

// grant says which actions a role has on a resource; own means "only on
// records the member owns".
type grant struct {
	all []Action
	own []Action
}

var (
	readOnly = grant{all: []Action{Read}}
	full     = grant{all: []Action{Read, Create, Update, Delete}}
)

// policy is the whole of authorization inside an organization: role ×
// resource → actions. Nothing else grants access.
var policy = map[Role]map[Resource]grant{
	RoleAdmin: {ResOrg: {all: []Action{Read, Update}}, ResMember: full, ResControl: full, ResTrail: readOnly, ResAudit: full, ResSoA: full,
		ResRisk: full, ResAsset: full, ResRiskMethod: {all: []Action{Read, Update}}, ResRiskAcceptance: {all: []Action{Create}},
		ResAISystem: full, ResDataset: full, ResSupplier: full, ResImpactAssessment: full, ResImpactApproval: {all: []Action{Create}}},
	RoleManager: {ResOrg: readOnly, ResMember: readOnly, ResControl: full, ResTrail: readOnly, ResAudit: full, ResSoA: full,
		ResRisk: full, ResAsset: full, ResRiskMethod: {all: []Action{Read, Update}}, ResRiskAcceptance: {all: []Action{Create}},
		ResAISystem: full, ResDataset: full, ResSupplier: full, ResImpactAssessment: full, ResImpactApproval: {all: []Action{Create}}},
	RoleContributor: {ResOrg: readOnly, ResMember: readOnly, ResTrail: readOnly, ResAudit: readOnly, ResSoA: readOnly,
		ResRiskMethod:       readOnly,
		ResControl:          {all: []Action{Read}, own: []Action{Update}},
		ResRisk:             {all: []Action{Read}, own: []Action{Update}},
		ResAsset:            {all: []Action{Read}, own: []Action{Update}},
		ResAISystem:         {all: []Action{Read}, own: []Action{Update}},
		ResDataset:          {all: []Action{Read}, own: []Action{Update}},
		ResSupplier:         {all: []Action{Read}, own: []Action{Update}},
		ResImpactAssessment: {all: []Action{Read}, own: []Action{Create, Update}}},
	RoleAuditor: {ResOrg: readOnly, ResMember: readOnly, ResControl: readOnly, ResTrail: readOnly, ResSoA: readOnly,
		ResAudit: {all: []Action{Read, Create, Update}}, ResRisk: readOnly, ResAsset: readOnly, ResRiskMethod: readOnly,
		ResAISystem: readOnly, ResDataset: readOnly, ResSupplier: readOnly, ResImpactAssessment: readOnly},
	RoleViewer: {ResOrg: readOnly, ResMember: readOnly, ResControl: readOnly, ResTrail: readOnly, ResAudit: readOnly, ResSoA: readOnly,
		ResRisk: readOnly, ResAsset: readOnly, ResRiskMethod: readOnly,
		ResAISystem: readOnly, ResDataset: readOnly, ResSupplier: readOnly, ResImpactAssessment: readOnly},
}

// Decision is the answer of the policy.
type Decision int

const (
	Deny     Decision = iota
	Allow             // allowed on any record of the kind
	AllowOwn          // allowed only on records the member owns
)

// Decide answers whether role may do action on resource.
func Decide(role Role, action Action, resource Resource) Decision {
	g := policy[role][resource]
	for _, a := range g.all {
		if a == action {
			return Allow
		}
	}
	for _, a := range g.own {
		if a == action {
			return AllowOwn
		}
	}
	return Deny
}
