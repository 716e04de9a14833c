package store

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"strings"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// UserSecurity is a project's database-user security settings: the customer CA of self-managed
// X.509 and the LDAP settings.
type UserSecurity struct {
	// CustomerCAs holds the PEM certificates of the customer CAs; empty when self-managed X.509
	// is off.
	CustomerCAs string
	LDAP        LDAPSettings
}

// LDAPSettings are kept as sent, except the bind password, which is write-only and never kept.
type LDAPSettings struct {
	AuthenticationEnabled bool
	AuthorizationEnabled  bool
	AuthzQueryTemplate    string
	BindUsername          string
	CACertificate         string
	Hostname              string
	Port                  int
	UserToDNMapping       []UserToDNMapping
}

// UserToDNMapping maps LDAP usernames to distinguished names.
type UserToDNMapping struct {
	Match        string
	LDAPQuery    string
	Substitution string
}

// SetUserSecurity replaces a project's user security settings after checking that the customer
// CAs, if any, are PEM certificates.
func (tx *Tx) SetUserSecurity(projectID string, security UserSecurity) (Project, error) {
	p, err := tx.Project(projectID)
	if err != nil {
		return Project{}, err
	}
	if err := checkCustomerCAs(security.CustomerCAs); err != nil {
		return Project{}, err
	}
	p.Security = security
	return p, projects.put(tx, p.ID, p)
}

// customerCAsField is the request field that carries the customer CAs.
const customerCAsField = "customerX509.cas"

// checkCustomerCAs accepts an empty string or one or more PEM CERTIFICATE blocks and nothing else.
func checkCustomerCAs(cas string) error {
	rest := []byte(cas)
	found := 0
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return apierror.InvalidAttribute.ForField(customerCAsField, "a "+block.Type+" block is not a certificate")
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return apierror.InvalidAttribute.ForField(customerCAsField, "a CERTIFICATE block does not parse: "+err.Error())
		}
		found++
	}
	if len(bytes.TrimSpace(rest)) > 0 || (found == 0 && strings.TrimSpace(cas) != "") {
		return apierror.InvalidAttribute.ForField(customerCAsField, "it must hold PEM certificates only")
	}
	return nil
}
