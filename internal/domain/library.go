package domain

// Starting a control library: adopting controls of the reference set and
// importing an existing control register.

// AdoptResult says what adopting reference controls did: the controls it
// created, and the reference ids it skipped because the organization had
// adopted them already.
type AdoptResult struct {
	Created []Control `json:"created"`
	Skipped []string  `json:"skipped"`
}

// MaxAdopt bounds one adoption request (the reference set is far smaller).
const MaxAdopt = 500

// ImportRow is one row of an imported control register: the control it
// describes and its row number in the file as a spreadsheet shows it (the
// header is row 1), so that every problem can be traced to its row.
type ImportRow struct {
	Row     int
	Control ControlInput
}

// MaxImportRows bounds one import; a larger register is imported in parts.
const MaxImportRows = 5000
