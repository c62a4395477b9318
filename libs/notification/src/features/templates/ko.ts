import type { LocaleTemplates, ReasonTexts } from './template';

export const ko: LocaleTemplates = {
  'redemption.credited': (f) => ({ title: '상품권 교환 완료', body: `${f.brand} 상품권 교환으로 ${f.amount}가 지갑에 입금되었습니다.` }),
  'redemption.rejected': (f) => ({ title: '상품권 교환 거절', body: `상품권 교환이 거절되었습니다. 사유: ${f.reason}` }),
  'deposit.detected': (f) => ({ title: '입금 감지', body: `${f.amount} 입금이 감지되었습니다. 확인이 끝나면 잔액에 반영됩니다. (거래 ${f.txid})` }),
  'deposit.confirmed': (f) => ({ title: '입금 완료', body: `${f.amount} 입금이 ${f.confirmations}회 확인되어 잔액에 반영되었습니다. (거래 ${f.txid})` }),
  'deposit.reversed': (f) => ({ title: '입금 취소', body: `${f.amount} 입금이 블록체인에서 사라져 취소되었습니다. 사유: ${f.reason} (거래 ${f.txid})` }),
  'withdrawal.requested': (f) => ({ title: '출금 요청 접수', body: `${f.address} 주소로 ${f.amount} 출금 요청이 접수되었습니다.` }),
  'withdrawal.broadcast': (f) => ({ title: '출금 전송', body: `출금 거래가 네트워크에 전송되었습니다. 수수료 ${f.fee} (거래 ${f.txid})` }),
  'withdrawal.confirmed': (f) => ({ title: '출금 완료', body: `출금이 ${f.confirmations}회 확인되어 완료되었습니다. 수수료 ${f.fee} (거래 ${f.txid})` }),
  'withdrawal.failed': (f) => ({ title: '출금 실패', body: `출금이 처리되지 않았고 보류 금액은 반환되었습니다. 사유: ${f.reason}` }),
  'withdrawal.rejected': (f) => ({ title: '출금 거절', body: `${f.address} 주소로의 ${f.amount} 출금이 거절되었고 보류 금액은 반환되었습니다. 사유: ${f.reason}` }),
  'login.new-device': (f) => ({ title: '새 기기에서 로그인', body: `새 기기에서 로그인했습니다: ${f.userAgent} (IP ${f.ip}). 본인이 아니라면 비밀번호를 바꾸세요.` }),
};

export const koReasons: ReasonTexts = {
  'rejected-in-review': '검토 결과 승인되지 않았습니다. 자세한 내용은 고객센터에 문의하세요',
};
