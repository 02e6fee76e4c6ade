/** The identity module's audit catalogue: every action name it records, in one place. */
export const identityEvents = {
  accountRegistered: 'identity.account.registered',
  emailVerified: 'identity.account.email_verified',
  verificationSent: 'identity.account.verification_sent',
  signedIn: 'identity.session.started',
  signedOut: 'identity.session.ended',
  passwordResetRequested: 'identity.password.reset_requested',
  passwordReset: 'identity.password.reset',
  passwordChanged: 'identity.password.changed',
  detailsChanged: 'identity.account.details_changed',
  deactivated: 'identity.account.deactivated',
  reactivated: 'identity.account.reactivated',
  superadminChanged: 'identity.account.superadmin_changed',
  tokenCreated: 'identity.token.created',
  tokenRevoked: 'identity.token.revoked',
  organizationCreated: 'identity.organization.created',
  organizationUpdated: 'identity.organization.updated',
  memberInvited: 'identity.invitation.created',
  invitationRevoked: 'identity.invitation.revoked',
  invitationAccepted: 'identity.invitation.accepted',
  rolesChanged: 'identity.membership.roles_changed',
  memberRemoved: 'identity.membership.removed',
  personalDataRead: 'identity.personal_data.read',
} as const;

/** Why personal data was read (message keys shown to the person on their activity page). */
export const purposes = {
  membership: 'identity.purpose.membership',
  platformAdministration: 'identity.purpose.platformAdministration',
} as const;
