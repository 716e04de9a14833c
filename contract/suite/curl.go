package suite

import "github.com/atlasstub/atlasstub/contract"

// Every failure comes with a curl command that sends its request again, and the command must
// name the credentials the request really carried, without showing a secret:
//
//   - the service account of the credentials file is $ATLAS_TOKEN (and $ATLAS_CLIENT_ID,
//     $ATLAS_CLIENT_SECRET at the token endpoint), as contract.Curl prints it;
//   - the wrong credentials that ignored_auth sends on purpose hold no secret, and only they
//     reproduce the failure, so they are printed as they are (fakeCredentials);
//   - the credentials the kit makes for itself (the fixture's service account, whose access list
//     keeps every caller out, and the scenarios' account and key) are deleted when the run ends,
//     so no command can replay them: the command names them by their public identifier, with a
//     placeholder for the secret.

// fakeCredentials shows a deliberately wrong Authorization header as it is; no header shows
// nothing.
func fakeCredentials(authorization string) []string {
	if authorization == "" {
		return nil
	}
	return []string{"-H", contract.ShellQuote("Authorization: " + authorization)}
}

// kitToken names a token of a service account the kit made.
func kitToken(clientID string) []string {
	return []string{"-H", contract.ShellQuote("Authorization: Bearer <a token of " + clientID + ", a service account the kit made>")}
}

// kitClientCredentials names a secret of a service account the kit made, at the token endpoint.
func kitClientCredentials(clientID string) []string {
	return []string{"-u", contract.ShellQuote(clientID + ":<a secret of this service account, which the kit made>")}
}

// kitAPIKey names an API key the kit made, for Digest.
func kitAPIKey(publicKey string) []string {
	return []string{"--digest", "-u", contract.ShellQuote(publicKey + ":<the private key of this API key, which the kit made>")}
}
