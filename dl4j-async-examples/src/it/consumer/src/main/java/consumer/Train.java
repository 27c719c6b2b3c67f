package consumer;

import org.dl4jasync.metrics.TrainingReport;
import org.dl4jasync.trainer.AsyncTrainer;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A user's program: a DL4J network trained by dl4j-async's AsyncTrainer on data of its own. */
public final class Train {
    public static void main(String[] args) {
        Nd4j.getRandom().setSeed(1);
        // two separable classes in 4 dimensions
        var features = Nd4j.randn(512, 4);
        var labels = Nd4j.zeros(512, 2);
        for (int i = 0; i < 512; i++) {
            labels.putScalar(i, features.getDouble(i, 0) + features.getDouble(i, 1) > 0 ? 1 : 0, 1.0);
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        try (AsyncTrainer trainer = new AsyncTrainer.Builder(net).workers(2).maxSteps(200).build()) {
            TrainingReport report = trainer.fit(new ListDataSetIterator<>(new DataSet(features, labels).asList(), 16),
                    100);
            System.out.println("backend " + Nd4j.getBackend().getClass().getSimpleName());
            System.out.println("accepted " + report.stepsAccepted() + " stop " + report.stopReason());
            System.out.println("accuracy " + net.evaluate(new ListDataSetIterator<>(
                    new DataSet(features, labels).asList(), 64)).accuracy());
        }
    }
}
