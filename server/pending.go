package server

import (
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/apierror"
)

// TEMPORARY: the programmatic-access operations arrive with the next change.
var errPending = apierror.ResourceNotFound

func (h *atlasHandlers) ListGroupApiKeys(ctx context.Context, req atlasapi.ListGroupApiKeysRequestObject) (atlasapi.ListGroupApiKeysResponseObject, error) {
	return nil, errPending.New("ListGroupApiKeys")
}

func (h *atlasHandlers) CreateGroupApiKey(ctx context.Context, req atlasapi.CreateGroupApiKeyRequestObject) (atlasapi.CreateGroupApiKeyResponseObject, error) {
	return nil, errPending.New("CreateGroupApiKey")
}

func (h *atlasHandlers) RemoveGroupApiKey(ctx context.Context, req atlasapi.RemoveGroupApiKeyRequestObject) (atlasapi.RemoveGroupApiKeyResponseObject, error) {
	return nil, errPending.New("RemoveGroupApiKey")
}

func (h *atlasHandlers) UpdateGroupApiKeyRoles(ctx context.Context, req atlasapi.UpdateGroupApiKeyRolesRequestObject) (atlasapi.UpdateGroupApiKeyRolesResponseObject, error) {
	return nil, errPending.New("UpdateGroupApiKeyRoles")
}

func (h *atlasHandlers) AddGroupApiKey(ctx context.Context, req atlasapi.AddGroupApiKeyRequestObject) (atlasapi.AddGroupApiKeyResponseObject, error) {
	return nil, errPending.New("AddGroupApiKey")
}

func (h *atlasHandlers) ListGroupServiceAccounts(ctx context.Context, req atlasapi.ListGroupServiceAccountsRequestObject) (atlasapi.ListGroupServiceAccountsResponseObject, error) {
	return nil, errPending.New("ListGroupServiceAccounts")
}

func (h *atlasHandlers) CreateGroupServiceAccount(ctx context.Context, req atlasapi.CreateGroupServiceAccountRequestObject) (atlasapi.CreateGroupServiceAccountResponseObject, error) {
	return nil, errPending.New("CreateGroupServiceAccount")
}

func (h *atlasHandlers) DeleteGroupServiceAccount(ctx context.Context, req atlasapi.DeleteGroupServiceAccountRequestObject) (atlasapi.DeleteGroupServiceAccountResponseObject, error) {
	return nil, errPending.New("DeleteGroupServiceAccount")
}

func (h *atlasHandlers) GetGroupServiceAccount(ctx context.Context, req atlasapi.GetGroupServiceAccountRequestObject) (atlasapi.GetGroupServiceAccountResponseObject, error) {
	return nil, errPending.New("GetGroupServiceAccount")
}

func (h *atlasHandlers) UpdateGroupServiceAccount(ctx context.Context, req atlasapi.UpdateGroupServiceAccountRequestObject) (atlasapi.UpdateGroupServiceAccountResponseObject, error) {
	return nil, errPending.New("UpdateGroupServiceAccount")
}

func (h *atlasHandlers) ListGroupServiceAccountAccessList(ctx context.Context, req atlasapi.ListGroupServiceAccountAccessListRequestObject) (atlasapi.ListGroupServiceAccountAccessListResponseObject, error) {
	return nil, errPending.New("ListGroupServiceAccountAccessList")
}

func (h *atlasHandlers) CreateGroupServiceAccountAccessList(ctx context.Context, req atlasapi.CreateGroupServiceAccountAccessListRequestObject) (atlasapi.CreateGroupServiceAccountAccessListResponseObject, error) {
	return nil, errPending.New("CreateGroupServiceAccountAccessList")
}

func (h *atlasHandlers) DeleteGroupServiceAccountAccessListEntry(ctx context.Context, req atlasapi.DeleteGroupServiceAccountAccessListEntryRequestObject) (atlasapi.DeleteGroupServiceAccountAccessListEntryResponseObject, error) {
	return nil, errPending.New("DeleteGroupServiceAccountAccessListEntry")
}

func (h *atlasHandlers) CreateGroupServiceAccountSecret(ctx context.Context, req atlasapi.CreateGroupServiceAccountSecretRequestObject) (atlasapi.CreateGroupServiceAccountSecretResponseObject, error) {
	return nil, errPending.New("CreateGroupServiceAccountSecret")
}

func (h *atlasHandlers) DeleteGroupServiceAccountSecret(ctx context.Context, req atlasapi.DeleteGroupServiceAccountSecretRequestObject) (atlasapi.DeleteGroupServiceAccountSecretResponseObject, error) {
	return nil, errPending.New("DeleteGroupServiceAccountSecret")
}

func (h *atlasHandlers) InviteGroupServiceAccount(ctx context.Context, req atlasapi.InviteGroupServiceAccountRequestObject) (atlasapi.InviteGroupServiceAccountResponseObject, error) {
	return nil, errPending.New("InviteGroupServiceAccount")
}

func (h *atlasHandlers) ListOrgApiKeys(ctx context.Context, req atlasapi.ListOrgApiKeysRequestObject) (atlasapi.ListOrgApiKeysResponseObject, error) {
	return nil, errPending.New("ListOrgApiKeys")
}

func (h *atlasHandlers) CreateOrgApiKey(ctx context.Context, req atlasapi.CreateOrgApiKeyRequestObject) (atlasapi.CreateOrgApiKeyResponseObject, error) {
	return nil, errPending.New("CreateOrgApiKey")
}

func (h *atlasHandlers) DeleteOrgApiKey(ctx context.Context, req atlasapi.DeleteOrgApiKeyRequestObject) (atlasapi.DeleteOrgApiKeyResponseObject, error) {
	return nil, errPending.New("DeleteOrgApiKey")
}

func (h *atlasHandlers) GetOrgApiKey(ctx context.Context, req atlasapi.GetOrgApiKeyRequestObject) (atlasapi.GetOrgApiKeyResponseObject, error) {
	return nil, errPending.New("GetOrgApiKey")
}

func (h *atlasHandlers) UpdateOrgApiKey(ctx context.Context, req atlasapi.UpdateOrgApiKeyRequestObject) (atlasapi.UpdateOrgApiKeyResponseObject, error) {
	return nil, errPending.New("UpdateOrgApiKey")
}

func (h *atlasHandlers) ListOrgApiKeyAccessListEntries(ctx context.Context, req atlasapi.ListOrgApiKeyAccessListEntriesRequestObject) (atlasapi.ListOrgApiKeyAccessListEntriesResponseObject, error) {
	return nil, errPending.New("ListOrgApiKeyAccessListEntries")
}

func (h *atlasHandlers) CreateOrgApiKeyAccessListEntry(ctx context.Context, req atlasapi.CreateOrgApiKeyAccessListEntryRequestObject) (atlasapi.CreateOrgApiKeyAccessListEntryResponseObject, error) {
	return nil, errPending.New("CreateOrgApiKeyAccessListEntry")
}

func (h *atlasHandlers) DeleteOrgApiKeyAccessListEntry(ctx context.Context, req atlasapi.DeleteOrgApiKeyAccessListEntryRequestObject) (atlasapi.DeleteOrgApiKeyAccessListEntryResponseObject, error) {
	return nil, errPending.New("DeleteOrgApiKeyAccessListEntry")
}

func (h *atlasHandlers) GetOrgApiKeyAccessListEntry(ctx context.Context, req atlasapi.GetOrgApiKeyAccessListEntryRequestObject) (atlasapi.GetOrgApiKeyAccessListEntryResponseObject, error) {
	return nil, errPending.New("GetOrgApiKeyAccessListEntry")
}

func (h *atlasHandlers) ListOrgServiceAccounts(ctx context.Context, req atlasapi.ListOrgServiceAccountsRequestObject) (atlasapi.ListOrgServiceAccountsResponseObject, error) {
	return nil, errPending.New("ListOrgServiceAccounts")
}

func (h *atlasHandlers) CreateOrgServiceAccount(ctx context.Context, req atlasapi.CreateOrgServiceAccountRequestObject) (atlasapi.CreateOrgServiceAccountResponseObject, error) {
	return nil, errPending.New("CreateOrgServiceAccount")
}

func (h *atlasHandlers) DeleteOrgServiceAccount(ctx context.Context, req atlasapi.DeleteOrgServiceAccountRequestObject) (atlasapi.DeleteOrgServiceAccountResponseObject, error) {
	return nil, errPending.New("DeleteOrgServiceAccount")
}

func (h *atlasHandlers) GetOrgServiceAccount(ctx context.Context, req atlasapi.GetOrgServiceAccountRequestObject) (atlasapi.GetOrgServiceAccountResponseObject, error) {
	return nil, errPending.New("GetOrgServiceAccount")
}

func (h *atlasHandlers) UpdateOrgServiceAccount(ctx context.Context, req atlasapi.UpdateOrgServiceAccountRequestObject) (atlasapi.UpdateOrgServiceAccountResponseObject, error) {
	return nil, errPending.New("UpdateOrgServiceAccount")
}

func (h *atlasHandlers) ListOrgServiceAccountAccessList(ctx context.Context, req atlasapi.ListOrgServiceAccountAccessListRequestObject) (atlasapi.ListOrgServiceAccountAccessListResponseObject, error) {
	return nil, errPending.New("ListOrgServiceAccountAccessList")
}

func (h *atlasHandlers) CreateOrgServiceAccountAccessList(ctx context.Context, req atlasapi.CreateOrgServiceAccountAccessListRequestObject) (atlasapi.CreateOrgServiceAccountAccessListResponseObject, error) {
	return nil, errPending.New("CreateOrgServiceAccountAccessList")
}

func (h *atlasHandlers) DeleteOrgServiceAccountAccessListEntry(ctx context.Context, req atlasapi.DeleteOrgServiceAccountAccessListEntryRequestObject) (atlasapi.DeleteOrgServiceAccountAccessListEntryResponseObject, error) {
	return nil, errPending.New("DeleteOrgServiceAccountAccessListEntry")
}

func (h *atlasHandlers) GetOrgServiceAccountGroups(ctx context.Context, req atlasapi.GetOrgServiceAccountGroupsRequestObject) (atlasapi.GetOrgServiceAccountGroupsResponseObject, error) {
	return nil, errPending.New("GetOrgServiceAccountGroups")
}

func (h *atlasHandlers) CreateOrgServiceAccountSecret(ctx context.Context, req atlasapi.CreateOrgServiceAccountSecretRequestObject) (atlasapi.CreateOrgServiceAccountSecretResponseObject, error) {
	return nil, errPending.New("CreateOrgServiceAccountSecret")
}

func (h *atlasHandlers) DeleteOrgServiceAccountSecret(ctx context.Context, req atlasapi.DeleteOrgServiceAccountSecretRequestObject) (atlasapi.DeleteOrgServiceAccountSecretResponseObject, error) {
	return nil, errPending.New("DeleteOrgServiceAccountSecret")
}

func (h *atlasHandlers) RevokeOAuthToken(ctx context.Context, req atlasapi.RevokeOAuthTokenRequestObject) (atlasapi.RevokeOAuthTokenResponseObject, error) {
	return nil, errPending.New("RevokeOAuthToken")
}

func (h *atlasHandlers) CreateOAuthToken(ctx context.Context, req atlasapi.CreateOAuthTokenRequestObject) (atlasapi.CreateOAuthTokenResponseObject, error) {
	return nil, errPending.New("CreateOAuthToken")
}

func (h *atlasHandlers) CreateCloudManagerServiceAccount(ctx context.Context, req atlasapi.CreateCloudManagerServiceAccountRequestObject) (atlasapi.CreateCloudManagerServiceAccountResponseObject, error) {
	return nil, errPending.New("CreateCloudManagerServiceAccount")
}

func (h *atlasHandlers) CreateCloudManagerServiceAccountSecret(ctx context.Context, req atlasapi.CreateCloudManagerServiceAccountSecretRequestObject) (atlasapi.CreateCloudManagerServiceAccountSecretResponseObject, error) {
	return nil, errPending.New("CreateCloudManagerServiceAccountSecret")
}
