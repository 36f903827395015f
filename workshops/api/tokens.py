"""API tokens for scripts (docs/api.md, "Authentication"): one for a username and password, each
expiring after TOKEN_TTL_DAYS; their owner lists and revokes them. django-rest-knox keeps them,
hashed (services/accounts.py).

The token endpoint is a login like the login page: django-axes counts its failures and locks the
username out from that address after LOGIN_FAILURE_LIMIT of them (429), and every address may
try only so many passwords a minute (the `login` rate).
"""

from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from ..services import accounts
from .base import BAD_INPUT, TOO_MANY, UNAUTHORIZED, ApiView, reads


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    key = serializers.CharField(help_text="Its first characters: how it is listed and revoked.")
    expiry = serializers.DateTimeField(help_text="When it stops working.")


class TokenListed(serializers.Serializer):
    key = serializers.CharField(source="token_key", help_text="The token's first characters.")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)
    current = serializers.SerializerMethodField(help_text="The token of this very request.")

    def get_current(self, token) -> bool:
        return getattr(self.context.get("auth"), "pk", None) == token.pk


class TokenInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


LOCKED_OUT = OpenApiResponse(
    description="Too many failed logins for this username from this address, or too many "
    'attempts from this address: {"detail": "..."}, with Retry-After.'
)


class TokenObtain(ApiView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_scopes = ("login",)

    @extend_schema(
        request=TokenInput,
        responses={200: TokenOutput, 400: BAD_INPUT, 429: LOCKED_OUT},
        auth=[],
        summary="Exchange a username and password for a token",
    )
    def post(self, request):
        # Django's request, not DRF's: django-axes marks it when the login is locked out, and
        # its middleware answers for it.
        form = AuthTokenSerializer(data=request.data, context={"request": request._request})
        form.is_valid(raise_exception=True)
        user = form.validated_data["user"]
        token, secret = accounts.token_create(user=user)
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response(
            {
                "token": secret,
                "key": token.token_key,
                "expiry": serializers.DateTimeField().to_representation(token.expiry),
            }
        )


class TokenList(ApiView):
    @reads(TokenListed(many=True), by_id=False, summary="Your tokens that still work")
    def get(self, request):
        tokens = accounts.tokens_of(request.user)
        return Response(TokenListed(tokens, many=True, context={"auth": request.auth}).data)

    @extend_schema(
        request=None,
        responses={204: None, 401: UNAUTHORIZED, 429: TOO_MANY},
        operation_id="auth_tokens_revoke_all",
        summary="Revoke all your tokens",
    )
    def delete(self, request):
        accounts.tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenDetail(ApiView):
    @extend_schema(
        request=None,
        responses={
            204: None,
            401: UNAUTHORIZED,
            404: OpenApiResponse(description="You hold no token with this key."),
            429: TOO_MANY,
        },
        operation_id="auth_tokens_revoke",
        summary="Revoke one of your tokens",
    )
    def delete(self, request, key):
        accounts.token_revoke(user=request.user, key=key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class Logout(ApiView):
    @extend_schema(
        request=None,
        responses={204: None, 401: UNAUTHORIZED, 429: TOO_MANY},
        summary="Log out: revoke the token of this request, or end this session",
    )
    def post(self, request):
        token = request.auth
        if hasattr(token, "token_key"):
            accounts.token_revoke(user=request.user, key=token.token_key)
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
