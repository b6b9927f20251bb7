import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isLanguage, markLanguagePickedOnSignIn, switchLanguage } from '@/i18n';
import { useSaveLanguage, useSessionQuery } from '@/features/session/session-api';

/** RU / EN; for a signed-in person the choice is kept on the server and follows them. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const session = useSessionQuery();
  const save = useSaveLanguage();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('shell.language')}
      value={i18n.language}
      data={[
        { value: 'ru', label: 'RU' },
        { value: 'en', label: 'EN' },
      ]}
      onChange={(value) => {
        if (!isLanguage(value)) return;
        void switchLanguage(value);
        if (session.data) save.mutate(value);
        else markLanguagePickedOnSignIn();
      }}
    />
  );
}
