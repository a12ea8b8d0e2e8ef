/** The SASL XOAUTH2 initial response: base64("user=" + user + "\x01auth=Bearer " + token + "\x01\x01"). */
export function xoauth2(user: string, accessToken: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`, 'utf8').toString('base64');
}
