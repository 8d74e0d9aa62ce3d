from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from mab.auth import services
from mab.auth.forms import (
    AcceptInvitationForm,
    LanguageForm,
    LoginForm,
    NotificationsForm,
    PasswordChangeForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from mab.auth.models import TokenPurpose, User, normalise_email
from mab.auth.tokens import TokenError, check_token
from mab.errors import DomainError
from mab.extensions import db, limiter, login_manager
from mab.security import safe_next

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str):
    raw_id, _, version = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def _login_limit():
    return current_app.config["LOGIN_LIMIT"]


def _account_key():
    return "account:" + normalise_email(request.form.get("email", ""))


def _failed(response):
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("assessments.index"))
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next(form.next.data) or url_for("assessments.index"))
        error = _("The email or password is not correct.")
    return render_template("auth/login.html", form=form, error=error)


def throttled_login():
    """The 429 answer of the login and reset forms: the form again, with the reason."""
    form = LoginForm(next=request.args.get("next", ""))
    form.email.data = request.form.get("email", "")
    message = _("Too many attempts. For your security, please wait a minute before trying again.")
    template = "auth/login.html" if request.endpoint == "auth.login" else "auth/reset_request.html"
    if template != "auth/login.html":
        form = ResetRequestForm()
    return render_template(template, form=form, error=message), 429


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            current_user.language = form.language.data
            db.session.commit()
    return redirect(safe_next(form.next.data) or url_for("assessments.index"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    try:
        row = check_token(token, TokenPurpose.INVITE)
    except TokenError as error:
        return render_template("auth/token_error.html", message=error.message), 400
    user = row.user
    form = AcceptInvitationForm(name=user.name, language=user.language)
    if form.validate_on_submit():
        try:
            services.accept_invitation(row, name=form.name.data, language=form.language.data,
                                       password=form.password.data)
        except DomainError as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            login_user(user)
            db.session.commit()
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(url_for("assessments.index"))
    return render_template("auth/accept_invitation.html", form=form, user=user)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account exists for that address, we have sent it a link to choose a new "
                "password. The link works once, for one hour."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        row = check_token(token, TokenPurpose.RESET)
    except TokenError as error:
        return render_template("auth/token_error.html", message=error.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(row, form.password.data)
        except DomainError as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            logout_user()
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.get("/account")
@login_required
def account():
    return _account_page()


@bp.post("/account")
@login_required
def update_profile():
    form = ProfileForm()
    if form.validate_on_submit():
        services.update_profile(current_user, name=form.name.data, language=form.language.data,
                                gender=form.gender.data or None, timezone=form.timezone.data)
        db.session.commit()
        flash(_("Your details have been saved."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(profile=form)


@bp.post("/account/password")
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            login_user(current_user._get_current_object())   # this session stays; others end
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(password=form)


@bp.post("/account/notifications")
@login_required
def update_notifications():
    form = NotificationsForm()
    if form.validate_on_submit():
        services.set_comment_emails(current_user, form.comment_emails.data)
        db.session.commit()
        flash(_("Your email preference has been saved."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(notifications=form)


def _account_page(profile=None, password=None, notifications=None):
    profile = profile or ProfileForm(obj=current_user, formdata=None)
    if profile.gender.data is None:
        profile.gender.data = ""
    password = password or PasswordChangeForm(formdata=None)
    notifications = notifications or NotificationsForm(
        formdata=None, comment_emails=str(current_user.comment_emails))
    status = 200 if not (profile.errors or password.errors or notifications.errors) else 422
    return render_template("auth/account.html", profile=profile, password=password,
                           notifications=notifications), status
