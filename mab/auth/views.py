from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from mab import i18n
from mab.assessments.access import menu_context
from mab.auth import queries, services, sessions
from mab.auth.forms import (
    AcceptInvitationForm,
    AccountActiveForm,
    LanguageForm,
    LoginForm,
    NotificationsForm,
    PasswordChangeForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from mab.audit.services import record_event
from mab.auth.models import TokenPurpose, User, UserSession, normalise_email
from mab.auth.tokens import TokenError, check_token
from mab.boundary import flash_errors, form_errors, transactional
from mab.errors import error_page
from mab.forms import CsrfForm
from mab.loaders import own_or_404
from mab.extensions import db, limiter, login_manager
from mab.security import safe_next

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str):
    """The person behind a session or remember-me cookie, while that device's session lives."""
    row = sessions.load_session(session_id)
    if row is None:
        return None
    row.user.current_session = row
    return row.user


@bp.before_app_request
def _refresh_session():
    """Load the signed-in person first thing, and refresh "last seen" now and then.

    The touch is bookkeeping in its own short transaction: it never carries the view's changes,
    a GET still never commits, and a busy database never fails the request.
    """
    if current_user.is_authenticated and current_user.current_session is not None:
        sessions.touch(current_user.current_session,
                       user_agent=request.headers.get("User-Agent", ""))


def _sign_in(user, *, remember=False) -> None:
    """A new server-side session for this device, then Flask-Login's cookies that name it."""
    session.pop("_user_id", None)
    sessions.start_session(user, user_agent=request.headers.get("User-Agent", ""))
    login_user(user, remember=remember)


def _login_limit():
    return current_app.config["LOGIN_LIMIT"]


def _account_key():
    return "account:" + normalise_email(request.form.get("email", ""))


def _failed(response):
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
@transactional
def login():
    if current_user.is_authenticated:
        return redirect(url_for("assessments.index"))
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            _sign_in(user, remember=form.remember.data)
            sessions.note_sign_in(user)   # best-effort: never fails the sign-in
            return redirect(safe_next(form.next.data) or url_for("assessments.index"))
        error = _("The email or password is not correct.")
    return render_template("auth/login.html", form=form, error=error)


@bp.errorhandler(429)
def throttled(error):
    """The 429 answer of the login and reset forms: the form again, with the reason."""
    if request.endpoint not in {"auth.login", "auth.reset_request"}:
        return error_page(429)
    return throttled_login()


def throttled_login():
    form = LoginForm(next=request.args.get("next", ""))
    form.email.data = request.form.get("email", "")
    message = _("Too many attempts. For your security, please wait a minute before trying again.")
    template = "auth/login.html" if request.endpoint == "auth.login" else "auth/reset_request.html"
    if template != "auth/login.html":
        form = ResetRequestForm()
    return render_template(template, form=form, error=message), 429


@bp.post("/logout")
@transactional
def logout():
    if current_user.is_authenticated and current_user.current_session is not None:
        sessions.end_session(current_user.current_session)
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
@transactional
def set_language():
    """The footer's selector: the language of this browser session (it outlives signing in);
    saved to the account, for emails and later sign-ins, only when asked."""
    form = LanguageForm()
    if form.validate_on_submit():
        i18n.choose_language(form.language.data)
        if current_user.is_authenticated and form.remember.data:
            services.set_language(current_user, form.language.data)
            flash(_("MAB will use %(language)s for your emails and future sign-ins.",
                    language=i18n.LANGUAGE_NAMES[form.language.data]), "success")
    back = safe_next(form.next.data)
    return redirect(i18n.without_link_language(back) if back else url_for("assessments.index"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@transactional
def accept_invitation(token):
    i18n.follow_link_language()   # the language of the email, the token error page's too
    try:
        row = check_token(token, TokenPurpose.INVITE)
    except TokenError as error:
        return render_template("auth/token_error.html", message=error.message), 400
    user = row.user
    if user.has_account:
        return _join_with_account(row)
    form = AcceptInvitationForm(name=user.name)
    if form.validate_on_submit():
        with form_errors(form, "password"):
            services.accept_invitation(row, name=form.name.data, language=str(get_locale()),
                                       password=form.password.data)
            logout_user()
            _sign_in(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(_after_joining(row))
    return render_template("auth/accept_invitation.html", form=form, user=user)


def _join_with_account(row):
    """An invitation to someone who has an account already: they sign in as themselves, then
    confirm. The link alone never signs anybody in to an existing account."""
    user = row.user
    if not current_user.is_authenticated:
        return render_template("auth/join.html", row=row, user=user, form=None)
    if current_user.id != user.id:
        return render_template("auth/join.html", row=row, user=user, form=None,
                               someone_else=True), 403
    form = CsrfForm()
    if form.validate_on_submit():
        services.accept_membership(row, current_user)
        flash(_("You have joined %(title)s.", title=row.membership.assessment.title)
              if row.membership is not None else _("Your invitation has been accepted."),
              "success")
        return redirect(_after_joining(row))
    return render_template("auth/join.html", row=row, user=user, form=form)


def _after_joining(row) -> str:
    if row.membership is not None:
        return url_for("assessments.home", slug=row.membership.assessment.slug)
    return url_for("assessments.index")


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@transactional
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account exists for that address, we have sent it a link to choose a new "
                "password. The link works once, for one hour."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@transactional
def reset_password(token):
    i18n.follow_link_language()
    try:
        row = check_token(token, TokenPurpose.RESET)
    except TokenError as error:
        return render_template("auth/token_error.html", message=error.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with form_errors(form, "password"):
            services.reset_password(row, form.password.data)
            logout_user()   # the reset ended every session, this device's too
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.get("/account")
@login_required
def account():
    return _account_page()


@bp.post("/account")
@login_required
@transactional
def update_profile():
    form = ProfileForm()
    if form.validate_on_submit():
        services.update_profile(current_user, name=form.name.data, language=form.language.data,
                                gender=form.gender.data or None, timezone=form.timezone.data)
        i18n.choose_language(form.language.data)   # the account's new language, now
        flash(_("Your details have been saved."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(profile=form)


@bp.post("/account/password")
@login_required
@transactional
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        with form_errors(form, "password"):
            # This device's session stays; the others end.
            services.change_password(current_user, form.current_password.data, form.password.data)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(password=form)


@bp.post("/account/notifications")
@login_required
@transactional
def update_notifications():
    form = NotificationsForm()
    if form.validate_on_submit():
        services.set_comment_emails(current_user, form.comment_emails.data)
        flash(_("Your email preference has been saved."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(notifications=form)


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
@transactional
def end_session(session_id):
    """Sign out one device of one's own (this one included)."""
    row = own_or_404(UserSession, session_id, current_user)
    if CsrfForm().validate_on_submit():
        this_device = row.id == current_user.current_session.id
        sessions.end_session(row)
        if this_device:
            logout_user()
            flash(_("You have signed out."), "info")
            return redirect(url_for("auth.login"))
        flash(_("That device has been signed out."), "success")
    return redirect(url_for("auth.account") + "#sessions-heading")


@bp.post("/account/sessions/end-others")
@login_required
@transactional
def end_other_sessions():
    if CsrfForm().validate_on_submit():
        count = sessions.end_sessions(current_user, keep=current_user.current_session)
        record_event("account.sessions_ended", current_user, actor=current_user,
                     changes={"ended": count})
        flash(ngettext("%(num)d other device has been signed out.",
                       "%(num)d other devices have been signed out.", count), "success")
    return redirect(url_for("auth.account") + "#sessions-heading")


def _account_page(profile=None, password=None, notifications=None):
    profile = profile or ProfileForm(obj=current_user, formdata=None)
    if profile.gender.data is None:
        profile.gender.data = ""
    password = password or PasswordChangeForm(formdata=None)
    notifications = notifications or NotificationsForm(
        formdata=None, comment_emails=str(current_user.comment_emails))
    status = 200 if not (profile.errors or password.errors or notifications.errors) else 422
    devices = [(row, sessions.describe_device(row.user_agent))
               for row in sessions.live_sessions(current_user)]
    menu_context(request.args.get("a"))   # the menu of the assessment the reader came from
    return render_template("auth/account.html", profile=profile, password=password,
                           notifications=notifications, devices=devices), status


@bp.get("/admin/accounts")
@login_required
def accounts():
    """Site admin: every account, to disable one that must no longer sign in."""
    if not current_user.is_site_admin:
        abort(403)
    q = request.args.get("q", "").strip()
    page = db.paginate(queries.accounts(q), per_page=50, error_out=False)
    return render_template("auth/accounts.html", page=page, q=q)


@bp.post("/admin/accounts/<int:user_id>/active")
@login_required
@transactional
def set_account_active(user_id):
    if not current_user.is_site_admin:
        abort(403)
    user = db.get_or_404(User, user_id)
    form = AccountActiveForm()
    if form.validate_on_submit():
        active = form.active.data == "1"
        with flash_errors():
            services.set_account_active(user, active, actor=current_user)
            flash(_("%(email)s can sign in again.", email=user.email) if active else
                  _("%(email)s is disabled and signed out everywhere.", email=user.email),
                  "success")
    return redirect(url_for("auth.accounts", q=request.args.get("q", "")))
