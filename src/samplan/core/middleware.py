from . import policy
from .audit import bind_request, current_request_id, unbind_request


class RequestIdMiddleware:
    """The request's scope: an id that every audit row of the request carries, and the
    access policy's memo, which lives exactly as long as the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tokens = bind_request(request)
        memo = policy.open_request_memo()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current_request_id()
            return response
        finally:
            policy.close_request_memo(memo)
            unbind_request(tokens)
