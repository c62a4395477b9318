export { AdminModule } from './admin.module';
export { ReservesAdminModule } from './reserves/reserves-admin.module';
