from .audit import bind_request


class RequestIdMiddleware:
    """Gives each request an id that every audit row of that request carries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bind_request(request)
        response = self.get_response(request)
        from .audit import current_request_id

        response["X-Request-ID"] = current_request_id()
        return response
