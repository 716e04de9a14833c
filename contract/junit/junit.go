// Package junit writes test reports in the JUnit XML format that CI systems display: suites of
// test cases, each passed, failed or skipped.
package junit

import (
	"encoding/xml"
	"io"
	"strconv"
)

// Suites is the document: <testsuites>.
type Suites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr,omitempty"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	// Time is how long the whole run took; when zero, the sum of the suites' times.
	Time   Seconds `xml:"time,attr"`
	Suites []Suite `xml:"testsuite"`
}

// Suite is one <testsuite>.
type Suite struct {
	Name     string  `xml:"name,attr"`
	Tests    int     `xml:"tests,attr"`
	Failures int     `xml:"failures,attr"`
	Skipped  int     `xml:"skipped,attr"`
	Time     Seconds `xml:"time,attr"`
	Cases    []Case  `xml:"testcase"`
}

// Case is one <testcase>; it passed unless Failure or Skipped is set.
type Case struct {
	Name      string   `xml:"name,attr"`
	Classname string   `xml:"classname,attr"`
	Time      Seconds  `xml:"time,attr"`
	Failure   *Failure `xml:"failure,omitempty"`
	Skipped   *Skipped `xml:"skipped,omitempty"`
}

// Seconds is a duration as JUnit writes it: seconds, with three decimals.
type Seconds float64

// MarshalXMLAttr writes the seconds as 1.234, never in exponent notation.
func (s Seconds) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	return xml.Attr{Name: name, Value: strconv.FormatFloat(float64(s), 'f', 3, 64)}, nil
}

// Failure says why a case failed.
type Failure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// Skipped says why a case did not count.
type Skipped struct {
	Message string `xml:"message,attr"`
}

// Add appends a case to the suite and updates its counts and time.
func (s *Suite) Add(c Case) {
	s.Cases = append(s.Cases, c)
	s.Time += c.Time
	s.Tests++
	if c.Failure != nil {
		s.Failures++
	}
	if c.Skipped != nil {
		s.Skipped++
	}
}

// Write encodes the suites, with the totals of their counts, as an indented XML document.
func (d Suites) Write(w io.Writer) error {
	d.Tests, d.Failures, d.Skipped = 0, 0, 0
	var sum Seconds
	for _, s := range d.Suites {
		d.Tests += s.Tests
		d.Failures += s.Failures
		d.Skipped += s.Skipped
		sum += s.Time
	}
	if d.Time == 0 {
		d.Time = sum
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	encoder := xml.NewEncoder(w)
	encoder.Indent("", "  ")
	if err := encoder.Encode(d); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
