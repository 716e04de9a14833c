package apierror

import "net/http"

// The catalog: Atlas's documented error codes that the stub answers with, and the few it adds
// where Atlas documents none (marked "stub").
var (
	// Requests that violate the contract.
	InvalidAttribute      = code(http.StatusBadRequest, "INVALID_ATTRIBUTE", "Invalid attribute %s specified.")
	MissingAttribute      = code(http.StatusBadRequest, "MISSING_ATTRIBUTE", "The required attribute %s was not specified.")
	InvalidEnumValue      = code(http.StatusBadRequest, "INVALID_ENUM_VALUE", "An invalid enumeration value %s was specified.")
	MalformedJSON         = code(http.StatusBadRequest, "MALFORMED_JSON", "The request body is not valid JSON: %s")
	InvalidQueryParameter = code(http.StatusBadRequest, "INVALID_QUERY_PARAMETER", "Invalid query parameter %s specified.")
	InvalidPathParameter  = code(http.StatusBadRequest, "INVALID_PATH_PARAMETER", "Invalid path parameter %s specified.")
	InvalidGroupID        = code(http.StatusBadRequest, "INVALID_GROUP_ID", "An invalid group ID %s was specified.")
	InvalidOrgID          = code(http.StatusBadRequest, "INVALID_ORG_ID", "An invalid organization ID %s was specified.")
	UnsupportedMediaType  = code(http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "The media type %s is not supported; send application/json.") // stub
	InvalidVersionDate    = code(http.StatusNotAcceptable, "INVALID_VERSION_DATE", "Invalid accept header or version date.")
	ResourceNotFound      = code(http.StatusNotFound, "RESOURCE_NOT_FOUND", "Cannot find resource %s.")
	MethodNotAllowed      = code(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "The method %s is not allowed on resource %s.")                    // stub
	RequestBodyTooLarge   = code(http.StatusRequestEntityTooLarge, "REQUEST_BODY_TOO_LARGE", "The request body is larger than the limit of %d bytes.") // stub
	UnexpectedError       = code(http.StatusInternalServerError, "UNEXPECTED_ERROR", "Unexpected error.")
	FaultRuleNotFound     = code(http.StatusNotFound, "FAULT_RULE_NOT_FOUND", "No fault rule with ID %s exists.")             // stub: the control API
	JournalEntryNotFound  = code(http.StatusNotFound, "JOURNAL_ENTRY_NOT_FOUND", "The journal holds no exchange with ID %s.") // stub: the control API
	RateLimited           = code(http.StatusTooManyRequests, "RATE_LIMITED", "Resource %s is limited to %d requests every %d minutes.")

	// Organizations and projects.
	OrgNotFound       = code(http.StatusNotFound, "ORG_NOT_FOUND", "No organization with ID %s exists.")
	GroupNotFound     = code(http.StatusNotFound, "GROUP_NOT_FOUND", "No group with ID %s exists.")
	GroupNameNotFound = code(http.StatusNotFound, "GROUP_NAME_NOT_FOUND", "No group with name \"%s\" exists.")
	GroupExists       = code(http.StatusConflict, "GROUP_ALREADY_EXISTS", "A group with name \"%s\" already exists.")
	InvalidGroupName  = code(http.StatusBadRequest, "INVALID_GROUP_NAME", "An invalid group name \"%s\" was specified.")
	OrgNotEmpty       = code(http.StatusConflict, "ORG_NOT_EMPTY", "Organization cannot be deleted because it still contains active groups.")
	CannotCreateOrg   = code(http.StatusForbidden, "API_KEY_CANNOT_CREATE_ORG", "API keys cannot create organizations.")

	// Database users.
	UserAlreadyExists            = code(http.StatusConflict, "USER_ALREADY_EXISTS", "A user with username %s already exists.")
	UsernameNotFound             = code(http.StatusNotFound, "USERNAME_NOT_FOUND", "No user with username %s exists.")
	UsernameCannotBeChanged      = code(http.StatusConflict, "DATABASE_USERNAME_CANNOT_BE_CHANGED", "Cannot modify the username of an existing database user.")
	DatabaseNameCannotBeChanged  = code(http.StatusConflict, "DATABASE_NAME_CANNOT_BE_CHANGED", "Cannot modify the authentication database of an existing database user.")
	AuthTypeCannotBeChanged      = code(http.StatusConflict, "AUTH_TYPE_CANNOT_BE_CHANGED", "Cannot modify the authentication type of an existing database user.")
	GroupUsersLimitExceeded      = code(http.StatusForbidden, "GROUP_USERS_LIMIT_EXCEEDED", "Groups can contain at most %d database users.")
	DatabaseNameInvalidExternal  = code(http.StatusBadRequest, "DATABASE_NAME_INVALID_EXTERNAL", "Database name invalid. Externally authenticated users can only be created on the $external database.")
	DatabaseNameInvalidAdmin     = code(http.StatusBadRequest, "DATABASE_NAME_INVALID_ADMIN", "Database name invalid. %s can only be created on the admin database.")
	X509UserCannotUseSCRAM       = code(http.StatusBadRequest, "ATLAS_X509_USER_CANNOT_USE_SCRAM", "Users cannot be configured for SCRAM and X.509 authentication.")
	X509UserCannotUseLDAP        = code(http.StatusBadRequest, "ATLAS_X509_USER_CANNOT_USE_LDAP", "Users cannot be configured for X.509 and LDAP authentication.")
	X509UserCannotBeTemporary    = code(http.StatusBadRequest, "ATLAS_X509_USER_CANNOT_BE_TEMPORARY", "X.509 users cannot be temporary.")
	ManagedX509NameInvalid       = code(http.StatusBadRequest, "ATLAS_MANAGED_X509_NAME_INVALID", "The username %s is invalid for Atlas-managed X.509 user auth. These usernames must take the form CN=<username> with no additional OIDs.")
	InvalidLDAPName              = code(http.StatusBadRequest, "ATLAS_INVALID_LDAP_NAME", "The distinguished name specified in the username field, %s, is not valid according to RFC 2253.")
	InvalidUsername              = code(http.StatusBadRequest, "ATLAS_INVALID_USERNAME", "The specified username %s is not valid for an Atlas database user.")
	InvalidRole                  = code(http.StatusBadRequest, "ATLAS_INVALID_ROLE", "The specified role %s@%s does not exist.")
	InvalidRoleDatabase          = code(http.StatusBadRequest, "ATLAS_INVALID_ROLE_DATABASE", "The specified role %s only exists for database %s.")
	DuplicateDatabaseRoles       = code(http.StatusBadRequest, "DUPLICATE_DATABASE_ROLES", "Duplicate database roles specified for user %s: %s.")
	ExpirationDateInPast         = code(http.StatusBadRequest, "EXPIRATION_DATE_IN_PAST", "The specified expiration date must be in the future.")
	ExpirationDateExceedsMax     = code(http.StatusBadRequest, "EXPIRATION_DATE_EXCEEDS_MAX", "The specified expiration date can be at most %d days in the future.")
	MultipleAuthenticationMethod = code(http.StatusBadRequest, "INVALID_ATTRIBUTE", "A database user authenticates one way; %s and %s are both set.")

	// X.509.
	UserNotManagedX509        = code(http.StatusBadRequest, "USER_NOT_MANAGED_X509", "The user does not have managed mode X.509 enabled.")
	CertExpiryExceedsTwoYears = code(http.StatusBadRequest, "CERT_EXPIRY_CANNOT_EXCEED_TWO_YEARS", "Atlas-generated X.509 certificates have a maximum expiration of 24 months.")

	// Authentication and authorization.
	UserUnauthorized      = code(http.StatusUnauthorized, "USER_UNAUTHORIZED", "Current user is not authorized to perform this action.")
	NotOrgGroupCreator    = code(http.StatusUnauthorized, "NOT_ORG_GROUP_CREATOR", "The currently logged in user does not have the group creator role in organization %s.")
	UserCannotAccessOrg   = code(http.StatusUnauthorized, "USER_CANNOT_ACCESS_ORG", "User cannot access this organization.")
	UserCannotAccessGroup = code(http.StatusUnauthorized, "USER_CANNOT_ACCESS_GROUP", "User cannot access this group.")
	IPNotOnAccessList     = code(http.StatusForbidden, "IP_ADDRESS_NOT_ON_ACCESS_LIST", "IP address %s is not allowed to access this resource.")
	OrgRequiresAccessList = code(http.StatusForbidden, "ORG_REQUIRES_ACCESS_LIST", "This organization requires access through an access list of ip ranges.")

	// API access lists. Atlas renamed its WHITELIST codes to ACCESS_LIST; the stub uses the new form.
	BothAddressAndCIDR               = code(http.StatusBadRequest, "MULTIPLE_VALUES_SPECIFIED_FOR_ONE_NETWORK_PERMISSION_ENTRY", "Should not specify both the IP address and the CIDR block.")
	InvalidAddress                   = code(http.StatusBadRequest, "INVALID_IP_ADDRESS_OR_CIDR_NOTATION", "The address %s must be in valid IP address or CIDR notation.")
	InvalidCIDR                      = code(http.StatusBadRequest, "INVALID_CIDR_BLOCK", "The CIDR block %s must be in valid CIDR notation.")
	DuplicateAddressesInInput        = code(http.StatusBadRequest, "DUPLICATE_ADDRESSES_IN_INPUT", "Two or more of the IP addresses being added to the access list are the same.")
	AddressAlreadyOnAccessList       = code(http.StatusConflict, "ADDRESS_ALREADY_IN_ACCESS_LIST", "The address %s is already on the access list.")
	AccessListFull                   = code(http.StatusBadRequest, "ACCESS_LIST_LIMIT_EXCEEDED", "An access list holds at most %d entries.") // stub
	CannotRemoveCallerFromAccessList = code(http.StatusBadRequest, "CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST", "Cannot remove caller's IP address %s from access list.")
	AccessListEntryNotFound          = code(http.StatusNotFound, "ACCESS_LIST_ENTRY_NOT_FOUND", "IP address %s not on the access list.")

	// Programmatic API keys.
	APIKeyNotFound      = code(http.StatusBadRequest, "API_KEY_NOT_FOUND", "No API key with ID %s exists.")
	PublicKeyTaken      = code(http.StatusConflict, "DUPLICATE_API_KEY", "An API key with public key %s already exists.") // stub
	MissingAPIKeyRoles  = code(http.StatusBadRequest, "MISSING_API_KEY_ROLES", "API keys must have at least one role.")
	InvalidRoleForOrg   = code(http.StatusBadRequest, "INVALID_ROLE_FOR_ORG", "Role %s invalid for organization %s.")
	InvalidRoleForGroup = code(http.StatusBadRequest, "INVALID_ROLE_FOR_GROUP", "Role %s is invalid for group %s.")

	// Service accounts. Atlas documents no codes for these; the names are the stub's.
	ServiceAccountNotFound      = code(http.StatusNotFound, "SERVICE_ACCOUNT_NOT_FOUND", "Service account %s not found.")
	SecretNotFound              = code(http.StatusNotFound, "SERVICE_ACCOUNT_SECRET_NOT_FOUND", "Service account secret %s not found.")
	ServiceAccountLimitExceeded = code(http.StatusBadRequest, "SERVICE_ACCOUNT_LIMIT_EXCEEDED", "An organization can have at most %d service accounts.")
	SecretLimitExceeded         = code(http.StatusBadRequest, "SERVICE_ACCOUNT_SECRET_LIMIT_EXCEEDED", "A service account can have at most %d secrets.")
	InvalidSecretExpiration     = code(http.StatusBadRequest, "INVALID_SERVICE_ACCOUNT_SECRET_EXPIRATION", "secretExpiresAfterHours must be between %d and %d.")

	// The control API. Atlas has none; the codes are the stub's.
	ControlAPILoopbackOnly = code(http.StatusForbidden, "CONTROL_API_LOOPBACK_ONLY", "The control API answers callers on the stub's own machine only, not %s; start the stub with --allow-remote-control to let other hosts in.")
	ControlAPIUnknownHost  = code(http.StatusForbidden, "CONTROL_API_UNKNOWN_HOST", "The control API does not answer to the host %s; name it with --allowed-hosts if it is the stub's.")
	ControlAPICrossOrigin  = code(http.StatusForbidden, "CONTROL_API_CROSS_ORIGIN", "The control API refuses writes that a web page of another origin sends: %s.")

	// What the generic engine answers for the official operations: a resource that is missing,
	// by the code Atlas uses for its kind (the detail names the resource, then what it lives in),
	// and one created twice.
	ClusterNotFound           = code(http.StatusNotFound, "CLUSTER_NOT_FOUND", "No cluster named %[1]s exists in group %[2]s.")
	ServerlessNotFound        = code(http.StatusNotFound, "SERVERLESS_INSTANCE_NOT_FOUND", "No serverless instance named %[1]s exists in group %[2]s.")
	AlertConfigNotFound       = code(http.StatusNotFound, "ALERT_CONFIG_NOT_FOUND", "No alert configuration with ID %[1]s exists in group %[2]s.")
	AlertNotFound             = code(http.StatusNotFound, "ALERT_NOT_FOUND", "No alert with ID %[1]s exists in group %[2]s.")
	NetworkPermissionNotFound = code(http.StatusNotFound, "ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND", "IP Address %[1]s not on Atlas access list for group %[2]s.")
	CustomRoleNotFound        = code(http.StatusNotFound, "ATLAS_CUSTOM_ROLE_NOT_FOUND", "The specified custom db role %[1]s does not exist.")
	TeamNotFound              = code(http.StatusNotFound, "TEAM_NOT_FOUND", "No team with ID %[1]s exists.")
	TeamNotInGroup            = code(http.StatusNotFound, "TEAM_NOT_IN_GROUP", "The team in your request is not assigned to this group.")
	UserNotFound              = code(http.StatusNotFound, "USER_NOT_FOUND", "No user with ID %[1]s exists.")
	SnapshotNotFound          = code(http.StatusNotFound, "SNAPSHOT_NOT_FOUND", "No snapshot with ID %[1]s exists for cluster %[2]s.")
	RestoreJobNotFound        = code(http.StatusNotFound, "RESTORE_JOB_NOT_FOUND", "No restore job with ID %[1]s exists for cluster %[2]s.")
	CheckpointNotFound        = code(http.StatusNotFound, "CHECKPOINT_NOT_FOUND", "No checkpoint with ID %[1]s exists for cluster %[2]s.")
	TenantSnapshotNotFound    = code(http.StatusNotFound, "TENANT_SNAPSHOT_NOT_FOUND", "No M2/M5 snapshot with ID %[1]s exists for cluster %[2]s.")
	TenantRestoreNotFound     = code(http.StatusNotFound, "TENANT_RESTORE_NOT_FOUND", "No M2/M5 restore with ID %[1]s exists for cluster %[2]s.")
	PeerNotFound              = code(http.StatusNotFound, "PEER_NOT_FOUND", "No peer with ID %[1]s exists in project %[2]s.")
	ContainerNotFound         = code(http.StatusNotFound, "CLOUD_PROVIDER_CONTAINER_NOT_FOUND", "An invalid cloud provider container ID %[1]s was specified.")
	DataFederationNotFound    = code(http.StatusNotFound, "DATA_FEDERATION_TENANT_NOT_FOUND_FOR_NAME", "Data Lake tenant for project %[2]s and name %[1]s not found.")
	EventNotFound             = code(http.StatusNotFound, "EVENT_NOT_FOUND", "No event with ID %[1]s exists for group %[2]s.")
	OrgEventNotFound          = code(http.StatusNotFound, "ORG_EVENT_NOT_FOUND", "No event with ID %[1]s exists for organization %[2]s.")
	InvoiceNotFound           = code(http.StatusNotFound, "INVOICE_NOT_FOUND", "No invoice with ID %[1]s exists in organization %[2]s.")
	IntegrationNotConfigured  = code(http.StatusNotFound, "INTEGRATION_NOT_CONFIGURED", "The integration of type '%[1]s' is not configured for this group.")
	PrivateLinkNotFound       = code(http.StatusNotFound, "PRIVATELINK_NOT_FOUND", "A PrivateLink with id %[1]s does not exist.")
	PrivateEndpointNotFound   = code(http.StatusNotFound, "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND", "A PrivateLink interface endpoint with id %[1]s does not exist.")
	ExportBucketNotFound      = code(http.StatusNotFound, "EXPORT_BUCKET_NOT_FOUND", "No export Bucket with ID %[1]s does not exist.")
	LDAPVerifyRequestNotFound = code(http.StatusNotFound, "LDAP_VERIFY_CONNECTIVITY_REQUEST_NOT_FOUND", "LDAP connectivity verification request %[1]s not found for group %[2]s.")
	HostNotFound              = code(http.StatusNotFound, "HOST_NOT_FOUND", "No host with ID %[1]s exists in group %[2]s.")
	DuplicateClusterName      = code(http.StatusBadRequest, "DUPLICATE_CLUSTER_NAME", "A cluster named %[1]s is already present in group %[2]s.")
	CustomRoleExists          = code(http.StatusConflict, "ATLAS_CUSTOM_ROLE_NAME_ALREADY_EXISTS", "A custom role with the name %[1]s already exists.")
	DataFederationExists      = code(http.StatusConflict, "DATA_LAKE_TENANT_NAME_ALREADY_EXISTS", "A Data Lake tenant with the name %[1]s already exists.")
	TeamNameNotAvailable      = code(http.StatusConflict, "TEAM_NAME_NOT_AVAILABLE", "Cannot create a team named %[1]s in organization %[2]s.")
	TeamExistsInGroup         = code(http.StatusConflict, "TEAM_EXISTS_IN_GROUP", "Cannot add a team that already exists in group.")
	UserAlreadyInTeam         = code(http.StatusConflict, "USER_ALREADY_IN_TEAM", "The user with ID %[1]s in team %[2]s already exists.")
	IntegrationConfigured     = code(http.StatusConflict, "INTEGRATION_ALREADY_CONFIGURED", "The integration of type '%[1]s' is already configured for this group.")
	ResourceExists            = code(http.StatusConflict, "RESOURCE_ALREADY_EXISTS", "A resource named %[1]s already exists in %[2]s.") // stub

	// Backups.
	IncompleteSnapshot = code(http.StatusConflict, "CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT", "Cannot start restore job for incomplete cluster snapshot.")

	// Teams and users.
	BadUsernameRef        = code(http.StatusBadRequest, "BAD_USERNAME_REF", "No user with username %s exists.")
	TeamNameNotFound      = code(http.StatusNotFound, "TEAM_NAME_NOT_FOUND", "No team with name \"%s\" exists.")
	TeamAssignedToProject = code(http.StatusNotFound, "CANNOT_DELETE_TEAM_ASSIGNED_TO_PROJECT", "You cannot delete a team that has at least one project assigned to it. Make sure to remove the team from all project before deleting it.")

	// Custom database roles.
	CustomRoleNoPermissions      = code(http.StatusBadRequest, "ATLAS_CUSTOM_ROLE_HAS_NO_PERMISSIONS", "Custom roles must have one or more user privilege actions or inherited roles.")
	CustomRoleBuiltinName        = code(http.StatusBadRequest, "ATLAS_INVALID_CUSTOM_ROLE_RESTRICTED", "Cannot create custom role %s because a built-in role with that name already exists.")
	CustomRoleReservedPrefix     = code(http.StatusBadRequest, "ATLAS_RESERVED_CUSTOM_ROLE_RESTRICTED", "Cannot create custom role %s because the prefix xgen- is reserved for built-in roles.")
	CustomRoleUnknownInheritance = code(http.StatusBadRequest, "ATLAS_INVALID_CUSTOM_ROLE_INHERITANCE", "One or more of the specified inherited roles do not exist.")
	CustomRoleSelfReferential    = code(http.StatusBadRequest, "ATLAS_INVALID_CUSTOM_ROLE_SELF_REFERENTIAL", "A custom DB role cannot inherit from itself.")
	CustomRoleDuplicateAction    = code(http.StatusBadRequest, "ATLAS_DUPLICATE_CUSTOM_ROLE_ACTION", "A custom role cannot have duplicate actions.")
	CustomRoleInUse              = code(http.StatusConflict, "ATLAS_CUSTOM_ROLE_IN_USE_BY_USERS", "Deleting specified custom role would leave the following users without a role: %s.")

	// OAuth 2.0 errors (RFC 6749), written as {"error", "error_description"} by the token and
	// revoke endpoints.
	OAuthInvalidRequest       = code(http.StatusBadRequest, "invalid_request", "The provided credentials are not valid.")
	OAuthUnsupportedGrantType = code(http.StatusBadRequest, "unsupported_grant_type", "Invalid grant type.")
	OAuthInvalidClient        = code(http.StatusUnauthorized, "invalid_client", "Invalid credentials provided.")
	OAuthServerError          = code(http.StatusInternalServerError, "server_error", "Unexpected error.")
)

// unauthenticated is the error of missing or wrong credentials (see Unauthenticated). Its name
// is the 500's, so it stays out of the catalog, where UNEXPECTED_ERROR is the 500.
var unauthenticated = Code{Status: http.StatusUnauthorized, Name: "UNEXPECTED_ERROR", Template: "You are not authorized for this resource."}

var catalog = map[string]Code{}

func code(status int, name, template string) Code {
	c := Code{Status: status, Name: name, Template: template}
	if _, taken := catalog[name]; !taken {
		catalog[name] = c
	}
	return c
}
