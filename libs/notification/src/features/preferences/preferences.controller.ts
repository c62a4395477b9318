import { Body, Controller } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, Route } from '@bitro/http';
import { Preferences, type PreferencesView } from './preferences';
import { getPreferencesRoute, putPreferencesRoute } from './preferences.contracts';

@Controller()
export class PreferencesController {
  constructor(private readonly preferences: Preferences) {}

  @Route(getPreferencesRoute)
  getPreferences(@Principal() principal: AccessClaims): Promise<PreferencesView> {
    return this.preferences.get(principal.sub);
  }

  @Route(putPreferencesRoute)
  putPreferences(@Principal() principal: AccessClaims, @Body() body: BodyOf<typeof putPreferencesRoute>): Promise<PreferencesView> {
    return this.preferences.update(principal.sub, body);
  }
}
