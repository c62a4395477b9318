import { describe, expect, it } from 'vitest';
import { render } from './render';

describe('render', () => {
  it('puts a reason code the locale has words for into words, and shows any other code as it is', () => {
    expect(render('redemption.rejected', 'en', { reason: 'rejected-in-review' }).body).toBe(
      'Your gift card redemption was rejected. Reason: not approved in our review; contact support for details',
    );
    expect(render('redemption.rejected', 'ko', { reason: 'rejected-in-review' }).body).toBe(
      '상품권 교환이 거절되었습니다. 사유: 검토 결과 승인되지 않았습니다. 자세한 내용은 고객센터에 문의하세요',
    );
    expect(render('redemption.rejected', 'en', { reason: 'pin-invalid' }).body).toBe('Your gift card redemption was rejected. Reason: pin-invalid');
  });
});
