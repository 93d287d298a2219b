import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { LookupResponse } from '../../../shared/api/schemas';
import { ItemsView } from '../../features/items/items-view';
import { useFlowPaths } from '../flow-paths';
import { usePaymentFlow } from '../providers/payment-flow';

export interface ResultsPanelProps {
  data: LookupResponse;
  onAnother(): void;
}

/** The items of a successful lookup, and a way to start over with another id number. */
export function ResultsPanel({ data, onAnother }: ResultsPanelProps) {
  const { t } = useTranslation();
  const flow = usePaymentFlow();
  const navigate = useNavigate();
  const paths = useFlowPaths();
  return (
    <>
      <ItemsView data={data} highlightRef={data.linkedRef ?? null} onPay={() => void navigate(paths.pay)} />
      <button
        type="button"
        className="button button-link"
        onClick={() => {
          flow.reset();
          onAnother();
        }}
      >
        {t('lookup.another')}
      </button>
    </>
  );
}
