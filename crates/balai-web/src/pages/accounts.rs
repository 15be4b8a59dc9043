//! Accounts: the user's own page (password, last login, second factor) and
//! the administrators' pages. Forms become typed commands here; who may do
//! what is decided in `balai_services::accounts`.

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::KodeWilayah;
use balai_domain::RegionLevel;
use balai_domain::role::Role;
use balai_domain::time_zone::ZonaWaktu;
use balai_services::accounts::Account;
use balai_services::accounts::{
    self, AccountAdmin, ChangePassword, CreateAccount, Created, Username,
};
use balai_services::passwords::NewPassword;
use balai_services::registry::field_errors::FieldErrors;
use balai_services::{ServiceError, totp};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{id, render};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;

/// A moment on the clocks of `zone` (the account's region), e.g.
/// `22 November 2026 10.00 WIB`.
fn when(t: Option<OffsetDateTime>, zone: ZonaWaktu, lang: Lang) -> Option<String> {
    t.map(|t| crate::templates::local_text(t, zone, lang))
}

fn account_json(a: &Account, lang: Lang) -> Value {
    let zone = ZonaWaktu::of(a.scope);
    json!({ "id": a.id.to_string(), "username": a.username, "name": a.display_name, "role": a.role.label(),
            "scope": a.scope.dotted(), "disabled": a.disabled_at.is_some(), "must_change": a.must_change_password,
            "last_login": when(a.last_login_at, zone, lang), "totp": a.totp_secret.is_some() })
}

// ----- the user's own account -----

async fn my_page(
    state: &AppState,
    current: &CurrentStaff,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let a = accounts::mine(&state.db, &current.staff).await?;
    let status = if error.is_some() {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        axum::http::StatusCode::OK
    };
    let html = render(
        state,
        current,
        "my_account.html",
        json!({ "account": account_json(&a, current.lang), "previous_login": when(a.previous_login_at, ZonaWaktu::of(a.scope), current.lang),
                "must_change": a.must_change_password, "error": error, "notice": notice,
                "can_totp": a.role.is_admin(), "min_length": balai_services::passwords::MIN_LENGTH }),
    )?;
    Ok((status, html).into_response())
}

/// `GET /staf/akun` (`?diubah=1` after the password was changed).
pub(crate) async fn mine(
    State(state): State<AppState>,
    current: CurrentStaff,
    Query(q): Query<MinePage>,
) -> Result<Response, AppError> {
    let notice = q.diubah.is_some().then_some("password-changed");
    my_page(&state, &current, None, notice).await
}

/// The query of `GET /staf/akun`; anything else in it is ignored.
#[derive(serde::Deserialize)]
pub(crate) struct MinePage {
    diubah: Option<String>,
}

/// The password form's fields.
pub(crate) struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
    username: String,
}

impl TryFrom<PasswordForm> for ChangePassword {
    type Error = String;
    fn try_from(f: PasswordForm) -> Result<Self, String> {
        let new = NewPassword::parse(&f.new, &f.confirm, &f.username).map_err(|r| r.message())?;
        Ok(ChangePassword {
            current: f.current,
            new,
        })
    }
}

/// `POST /staf/akun/sandi`.
pub(crate) async fn change_password(
    State(state): State<AppState>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = &form.current;
    let cmd = ChangePassword::try_from(PasswordForm {
        current: form.get("current").to_string(),
        new: form.get("new").to_string(),
        confirm: form.get("confirm").to_string(),
        username: current.staff.username.clone(),
    });
    let cmd = match cmd {
        Ok(c) => c,
        Err(msg) => return my_page(&state, current, Some(msg), None).await,
    };
    match accounts::change_own_password(
        &state.db,
        state.clock.as_ref(),
        &current.staff,
        &current.session_hash,
        cmd,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/staf/akun?diubah=1").into_response()),
        Err(ServiceError::Invalid(m)) => my_page(&state, current, Some(m), None).await,
        Err(e) => Err(e.into()),
    }
}

/// `GET /staf/akun/totp`: a new secret and its QR code, to confirm with a code.
pub(crate) async fn totp_form(
    State(state): State<AppState>,
    current: CurrentStaff,
) -> Result<Response, AppError> {
    totp_page(&state, &current, &totp::new_secret(), None)
}

fn totp_page(
    state: &AppState,
    current: &CurrentStaff,
    secret: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    if !current.staff.role.is_admin() {
        return Err(AppError::NotFound);
    }
    let url = totp::otpauth_url(
        &format!("Balai {}", state.public_url.host()),
        &current.staff.username,
        secret,
    );
    let qr = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| AppError::internal(format!("qr: {e}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    // Inlined into the page (no data: URL, which the CSP refuses); drawn by
    // qrcode from our own secret, never from anything a user typed.
    Ok(render(
        state,
        current,
        "totp.html",
        json!({ "secret": secret, "qr_svg": qr, "error": error }),
    )?
    .into_response())
}

/// `POST /staf/akun/totp`: enrol once the code matches.
pub(crate) async fn totp_enrol(
    State(state): State<AppState>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let secret = form.get("secret");
    match accounts::enrol_totp(
        &state.db,
        state.clock.as_ref(),
        &form.current.staff,
        secret,
        form.get("code"),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/staf/akun").into_response()),
        Err(ServiceError::Invalid(m)) => totp_page(&state, &form.current, secret, Some(m)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /staf/akun/totp/hapus`.
pub(crate) async fn totp_remove(
    State(state): State<AppState>,
    form: StaffForm,
) -> Result<Response, AppError> {
    match accounts::remove_totp(
        &state.db,
        state.clock.as_ref(),
        &form.current.staff,
        form.get("current"),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/staf/akun").into_response()),
        Err(ServiceError::Invalid(m)) => my_page(&state, &form.current, Some(m), None).await,
        Err(e) => Err(e.into()),
    }
}

// ----- administrators -----

fn admin_of(current: &CurrentStaff) -> Result<AccountAdmin, AppError> {
    Ok(accounts::admin(&current.staff)?)
}

/// The roles `admin` may hand out, for the form.
fn grantable(admin: &AccountAdmin) -> Vec<Value> {
    Role::ALL
        .into_iter()
        .filter(|r| match admin.staff().role {
            Role::RegencyAdmin => true,
            _ => r.scope_level() == RegionLevel::Village && *r != Role::Facilitator,
        })
        .map(|r| json!({ "code": r.as_str(), "label": r.label() }))
        .collect()
}

async fn accounts_page(
    state: &AppState,
    current: &CurrentStaff,
    errors: Option<FieldErrors>,
    message: Option<String>,
    form: Value,
) -> Result<Response, AppError> {
    let admin = admin_of(current)?;
    let list: Vec<Value> = accounts::list(&state.db, &admin)
        .await?
        .iter()
        .map(|a| account_json(a, current.lang))
        .collect();
    let villages: Vec<Value> = accounts::villages_in_scope(&state.db, &admin)
        .await?
        .iter()
        .map(|s| json!({ "kode": s.village.kode.dotted(), "name": s.village.name }))
        .collect();
    let status = if errors.is_some() || message.is_some() {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        axum::http::StatusCode::OK
    };
    let html = render(
        state,
        current,
        "accounts.html",
        json!({ "accounts": list, "roles": grantable(&admin), "villages": villages,
                "scope": admin.staff().scope.dotted(), "errors": errors, "message": message, "form": form }),
    )?;
    Ok((status, html).into_response())
}

/// `GET /staf/pengguna`.
pub(crate) async fn list(
    State(state): State<AppState>,
    current: CurrentStaff,
) -> Result<Response, AppError> {
    let scope = current.staff.scope.dotted();
    accounts_page(&state, &current, None, None, json!({ "scope": scope })).await
}

/// The create form's fields, as typed.
pub(crate) struct CreateAccountForm {
    username: String,
    display_name: String,
    role: String,
    scope: String,
    villages: Vec<String>,
}

impl TryFrom<CreateAccountForm> for CreateAccount {
    type Error = FieldErrors;
    fn try_from(f: CreateAccountForm) -> Result<Self, FieldErrors> {
        let kode = |s: &str| KodeWilayah::parse(s.trim()).map_err(|e| e.to_string());
        CreateAccount::new(
            Username::parse(&f.username),
            &f.display_name,
            Role::parse(&f.role),
            kode(&f.scope),
            f.villages.iter().map(|v| kode(v)).collect(),
        )
    }
}

/// `POST /staf/pengguna`: create an account; its one-time code is shown once.
pub(crate) async fn create(
    State(state): State<AppState>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = &form.current;
    let admin = admin_of(current)?;
    let echo = json!({ "username": form.get("username"), "display_name": form.get("display_name"),
                       "role": form.get("role"), "scope": form.get("scope"), "villages": form.all("villages") });
    let cmd = CreateAccount::try_from(CreateAccountForm {
        username: form.get("username").into(),
        display_name: form.get("display_name").into(),
        role: form.get("role").into(),
        scope: form.get("scope").into(),
        villages: form.all("villages").into_iter().map(String::from).collect(),
    });
    let cmd = match cmd {
        Ok(c) => c,
        Err(errors) => return accounts_page(&state, current, Some(errors), None, echo).await,
    };
    let username = cmd.username.as_str().to_string();
    match accounts::create(&state.db, state.clock.as_ref(), &admin, cmd).await {
        Ok(created) => code_page(&state, current, &username, &created, "account-created"),
        Err(ServiceError::Invalid(m)) | Err(ServiceError::Forbidden(m)) => {
            accounts_page(&state, current, None, Some(m), echo).await
        }
        Err(e) => Err(e.into()),
    }
}

fn code_page(
    state: &AppState,
    current: &CurrentStaff,
    username: &str,
    created: &Created,
    heading: &str,
) -> Result<Response, AppError> {
    Ok(render(
        state,
        current,
        "account_code.html",
        json!({ "username": username, "id": created.id.to_string(), "code": created.code.expose(),
                "expires": when(Some(created.expires_at), ZonaWaktu::of(current.staff.scope), current.lang), "heading": heading,
                "login_url": format!("{}/masuk", state.public_url.as_str()) }),
    )?
    .into_response())
}

/// `GET /staf/pengguna/{id}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(account): Path<String>,
) -> Result<Html<String>, AppError> {
    let admin = admin_of(&current)?;
    let a = accounts::get(&state.db, &admin, id(&account)?).await?;
    let sessions: Vec<Value> =
        accounts::sessions(&state.db, state.clock.as_ref(), &admin, a.id)
            .await?
            .iter()
            .map(|s| json!({ "id": accounts::hex(&s.token_hash), "started": when(Some(s.created_at), ZonaWaktu::of(a.scope), current.lang), "ends": when(Some(s.expires_at), ZonaWaktu::of(a.scope), current.lang) }))
            .collect();
    let assigned = accounts::facilitator_villages(&state.db, &admin, a.id).await?;
    let villages: Vec<String> = assigned.iter().map(KodeWilayah::dotted).collect();
    // A facilitator's villages can be changed here: every village in scope, ticked if assigned.
    let choices: Vec<Value> = if a.role == balai_domain::role::Role::Facilitator {
        accounts::villages_in_scope(&state.db, &admin)
            .await?
            .iter()
            .filter(|s| s.village.kode.is_within(&a.scope))
            .map(|s| {
                json!({ "kode": s.village.kode.plain(), "kode_titik": s.village.kode.dotted(),
                "name": s.village.name, "district": s.village.district_name,
                "checked": assigned.contains(&s.village.kode) })
            })
            .collect()
    } else {
        Vec::new()
    };
    render(
        &state,
        &current,
        "account.html",
        json!({ "account": account_json(&a, current.lang), "sessions": sessions, "villages": villages,
                "village_choices": choices, "is_me": a.id == current.staff.account_id }),
    )
}

/// What an administrator does to an account (`POST /staf/pengguna/{id}/{aksi}`).
#[derive(Debug, Clone, Copy)]
enum AccountAction {
    Disable,
    Enable,
    Reset,
    EndSession,
    Villages,
}

impl AccountAction {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "nonaktifkan" => AccountAction::Disable,
            "aktifkan" => AccountAction::Enable,
            "reset-sandi" => AccountAction::Reset,
            "akhiri-sesi" => AccountAction::EndSession,
            "desa" => AccountAction::Villages,
            _ => return None,
        })
    }
}

/// `POST /staf/pengguna/{id}/{aksi}`.
pub(crate) async fn act(
    State(state): State<AppState>,
    Path((account, aksi)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let action = AccountAction::parse(&aksi).ok_or(AppError::NotFound)?;
    let admin = admin_of(&form.current)?;
    let account = id(&account)?;
    let (db, clock) = (&state.db, state.clock.as_ref());
    let back = Redirect::to(&format!("/staf/pengguna/{account}")).into_response();
    match action {
        AccountAction::Disable => accounts::set_disabled(db, clock, &admin, account, true).await?,
        AccountAction::Enable => accounts::set_disabled(db, clock, &admin, account, false).await?,
        AccountAction::EndSession => {
            accounts::end_session(db, clock, &admin, account, form.get("session")).await?
        }
        AccountAction::Villages => {
            let villages = form
                .all("villages")
                .into_iter()
                .map(|v| KodeWilayah::parse(v).map_err(|e| format!("{v:.20}: {e}")))
                .collect();
            accounts::set_facilitator_villages(db, clock, &admin, account, villages).await?
        }
        AccountAction::Reset => {
            let a = accounts::get(db, &admin, account).await?;
            let created = accounts::reset_password(db, clock, &admin, account).await?;
            return code_page(
                &state,
                &form.current,
                &a.username,
                &created,
                "account-reset",
            );
        }
    }
    Ok(back)
}
