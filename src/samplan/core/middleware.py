from .audit import bind_request, current_request_id, unbind_request


class RequestIdMiddleware:
    """Gives each request an id that every audit row of that request carries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tokens = bind_request(request)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current_request_id()
            return response
        finally:
            unbind_request(tokens)
