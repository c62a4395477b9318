import type { EmailMessage } from '../delivery/email-sender';

/**
 * The account e-mails of the user domain, Korean and English in one message: they go out before the user has any
 * preferences (at signup), so there is no locale to pick yet.
 */
export function verificationCodeMail(to: string, code: string, expiresAt: string): EmailMessage {
  return {
    to,
    subject: `Bitro 이메일 인증 코드 / verification code: ${code}`,
    text:
      `Bitro 이메일 인증 코드: ${code}\n앱에서 이 코드를 입력하세요. ${expiresAt}까지 유효합니다. 요청하지 않으셨다면 이 메일을 무시하세요.\n\n` +
      `Your Bitro verification code: ${code}\nEnter it in the app; it works until ${expiresAt}. If you did not sign up, ignore this e-mail.\n`,
  };
}

export function signupWithExistingEmailMail(to: string): EmailMessage {
  return {
    to,
    subject: 'Bitro: 가입 시도 / someone tried to sign up with your address',
    text:
      '이 이메일 주소로 Bitro 가입이 시도되었지만 이미 계정이 있습니다. 본인이라면 로그인하세요. 아니라면 이 메일을 무시하셔도 됩니다.\n\n' +
      'Someone tried to create a Bitro account with this e-mail address, which already has one. If it was you, sign in instead; otherwise you can ignore this e-mail.\n',
  };
}
