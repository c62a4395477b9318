export { GiftcardModule } from './giftcard.module';
