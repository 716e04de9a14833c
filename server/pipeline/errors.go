package pipeline

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/apierror"
)

// WriteError is Echo's error handler: every error leaves the stub as an Atlas ApiError with an
// application/json content type, never as Echo's {"message": ...}.
func WriteError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	apiErr := toAPIError(err)
	var body any = apiErr
	code := apiErr.Code
	// Atlas answers its rate limit in its own shape, at the OAuth endpoints too.
	if openapi.OAuthErrors(RequestOf(c.Request().Context()).Operation()) && apiErr.Status != http.StatusTooManyRequests {
		oauth := oauthError(apiErr)
		body, code = oauth, oauth.Error
	}
	noteErrorCode(c, code)
	setErrorHeaders(c.Response().Header(), code)
	c.Response().WriteHeader(apiErr.Status)
	_ = json.NewEncoder(c.Response()).Encode(body)
}

// HeaderErrorCode names the error of an error response, as Atlas does, for clients and proxies
// that read headers rather than bodies.
const HeaderErrorCode = "X-Error-Code"

// setErrorHeaders gives an error response Atlas's headers: a JSON body, whatever the version of
// the operation, and the errorCode (for the OAuth endpoints the RFC 6749 error) in X-Error-Code.
func setErrorHeaders(h http.Header, code string) {
	h.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	h.Set(HeaderErrorCode, code)
}

// oauthErrorBody is the RFC 6749 error body of the token and revoke endpoints.
type oauthErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// oauthError writes an error of the token or revoke endpoint as RFC 6749 does: the OAuth errors
// as they are, and any other error as the OAuth error of its status, with Atlas's descriptions.
func oauthError(e *apierror.Error) oauthErrorBody {
	if _, ok := apierror.Lookup(e.Code); ok && strings.ToLower(e.Code) == e.Code {
		return oauthErrorBody{e.Code, e.Detail}
	}
	generic := apierror.OAuthServerError
	switch e.Status {
	case http.StatusBadRequest:
		generic = apierror.OAuthInvalidRequest
	case http.StatusUnauthorized:
		generic = apierror.OAuthInvalidClient
	}
	return oauthErrorBody{generic.Name, generic.Template}
}

// toAPIError converts the errors that reach the error handler: Atlas errors pass through; Echo's
// own errors (a generated wrapper that cannot bind a parameter, a body Echo cannot bind) become
// the matching Atlas error; anything else is a bug of the stub.
func toAPIError(err error) *apierror.Error {
	var apiErr *apierror.Error
	if errors.As(err, &apiErr) {
		return apiErr
	}
	var httpErr *echo.HTTPError
	if errors.As(err, &httpErr) {
		switch httpErr.Code {
		case http.StatusNotFound:
			return apierror.ResourceNotFound.New("")
		case http.StatusMethodNotAllowed:
			return apierror.MethodNotAllowed.New("", "")
		case http.StatusUnsupportedMediaType:
			return apierror.UnsupportedMediaType.New("")
		case http.StatusBadRequest:
			return apierror.InvalidAttribute.WithDetail(httpErrorMessage(httpErr))
		}
	}
	return apierror.UnexpectedError.New()
}

func httpErrorMessage(err *echo.HTTPError) string {
	if msg, ok := err.Message.(string); ok {
		return msg
	}
	return http.StatusText(err.Code)
}
